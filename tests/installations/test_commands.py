"""The management commands: create_installation and the idempotent demo."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from catalog.actions import publish_package_version
from catalog.models import Package, PackageVersion, VendorTie, Workspace
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


def test_create_installation_refuses_a_vendor_workspace_as_the_customer(base, shop_version):
    """Finding 9 of issue 10: --customer named a vendor workspace and was accepted."""
    for slug in (base.acme.slug, base.rival.slug):
        with pytest.raises(CommandError, match=f"{slug} is a vendor workspace"):
            call_command("create_installation", "--package=shop", f"--customer={slug}", "--name=x")
    assert not Installation.objects.exists()


def test_create_installation_refuses_a_customer_that_did_not_accept_the_vendor(base, tmp_path):
    """Finding 3 of issue 10 through the command: rival's package, globex never accepted rival."""
    from tests.installations.conftest import write_package

    directory = write_package(tmp_path / "rival-shop", "1.0.0")
    publish_package_version(base.rival, directory, user=base.rival_owner)
    with pytest.raises(CommandError, match="customer_workspace: Globex has not been invited by"):
        call_command(
            "create_installation",
            "--package=shop",
            f"--vendor={base.rival.slug}",
            f"--customer={base.globex.slug}",
            "--name=planted",
        )
    assert not Installation.objects.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["create_installation", "--package=shop", "--customer=globex-b", "--name=x"],
        ["publish_package", "unused", "--workspace=acme-b"],
    ],
)
def test_a_user_name_no_user_has_is_refused(base, shop_version, command):
    with pytest.raises(CommandError, match="No user 'nobody'."):
        call_command(*command, "--user=nobody")
    assert not Installation.objects.exists()


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
    # Both customers accepted the vendor, so it installed there (catalog.ties).
    ties = VendorTie.objects.values_list("vendor__slug", "customer__slug", "state")
    assert sorted(ties) == [("acme", "globex", "accepted"), ("acme", "initech", "accepted")]
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
    assert VendorTie.objects.count() == 2
