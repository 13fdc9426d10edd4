"""The management commands: create_installation and the idempotent demo."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Package, PackageVersion, Workspace
from installations.models import Installation, Render


def test_create_installation_from_the_command_line(base, shop_version, run_tasks, tmp_path, capsys):
    inputs = tmp_path / "inputs.yaml"
    inputs.write_text("replicas: 3\n")
    run_tasks(
        call_command,
        "create_installation",
        "--package=shop",
        "--version=1.0.0",
        f"--customer={base.globex.slug}",
        "--name=cli",
        f"--inputs={inputs}",
        f"--user={base.owner.username}",
    )
    inst = Installation.objects.get(name="cli")
    assert inst.created_by == base.owner
    assert inst.renders.get().state == Render.State.DEPLOYED
    assert "Created cli" in capsys.readouterr().out


def test_create_installation_reports_bad_inputs(base, shop_version, tmp_path):
    inputs = tmp_path / "inputs.yaml"
    inputs.write_text("replicas: lots\n")
    with pytest.raises(CommandError, match="replicas: Enter an integer"):
        call_command(
            "create_installation",
            "--package=shop",
            f"--customer={base.globex.slug}",
            "--name=x",
            f"--inputs={inputs}",
        )


def test_demo_is_idempotent(db, capsys):
    call_command("demo")
    counts = (
        Workspace.objects.count(),
        Package.objects.count(),
        PackageVersion.objects.count(),
        Installation.objects.count(),
        Render.objects.count(),
    )
    assert counts[:4] == (3, 2, 2, 3)
    assert all(r.state == Render.State.DEPLOYED for r in Render.objects.all())
    out = capsys.readouterr().out
    assert "vendor   / demo-vendor-pass" in out
    call_command("demo")
    assert (
        Workspace.objects.count(),
        Package.objects.count(),
        PackageVersion.objects.count(),
        Installation.objects.count(),
        Render.objects.count(),
    ) == counts
