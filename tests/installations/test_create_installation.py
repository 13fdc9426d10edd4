"""Creating an installation: one commit per concern, authored by the person; the first render."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from installations.actions import create_installation
from installations.models import Installation, Render
from installations.repository import Repository


def test_it_creates_the_repository_commit_by_commit(installation, base):
    repo = Repository(installation.repo_path)
    log = repo.log()
    assert [c.subject for c in reversed(log)] == [
        "Add package shop 1.0.0",
        "Set inputs",
        f"render {installation.renders.get().render_hash}",
    ]
    add, inputs, render = reversed(log)
    assert add.author.name == "Olga Owner" and add.author.email == "owner@globex.example"
    assert inputs.author.name == "Olga Owner"
    assert render.author.name == "Akua"
    assert add.committer.name == "Akua"
    assert {e.path for e in repo.tree(add.sha)} == {"akua.toml", "package.k"}
    assert b"replicas: 2" in repo.read_file("inputs.yaml")
    assert [e.path for e in repo.tree(prefix="manifests")] == [
        "manifests/000-configmap-shop.yaml",
        "manifests/001-deployment-shop.yaml",
    ]


def test_the_repository_is_bare_under_the_repos_dir(installation, settings):
    assert installation.repo_path.is_relative_to(settings.REPOS_DIR)
    assert (installation.repo_path / "HEAD").is_file()
    assert not (installation.repo_path / ".git").exists()
    Repository(installation.repo_path).fsck()


def test_a_package_with_dependencies_gets_a_vendor_commit(base, install, tmp_path):
    from pathlib import Path

    from catalog.actions import publish_package_version

    demo = Path(__file__).resolve().parents[2] / "demo" / "packages" / "nginx"
    version = publish_package_version(base.acme, demo, user=base.vendor)
    inst = install(version, "web")
    repo = Repository(inst.repo_path)
    subjects = [c.subject for c in reversed(repo.log())]
    assert subjects[:3] == ["Add package nginx 1.0.0", "Vendor dependencies", "Set inputs"]
    assert subjects[3].startswith("render sha256:")
    assert "upstream/nginx/Chart.yaml" in {e.path for e in repo.tree()}


def test_invalid_inputs_are_refused_per_field_before_anything_is_created(base, shop_version):
    with pytest.raises(ValidationError) as exc:
        create_installation(
            package_version=shop_version,
            customer_workspace=base.globex,
            name="",
            inputs={"replicas": "many", "colour": "red"},
            user=base.owner,
        )
    errors = exc.value.message_dict
    assert errors["name"] == ["Give the installation a name."]
    assert errors["replicas"] == ["Enter an integer."]
    assert errors["colour"] == ["colour is not an input of this package."]
    assert not Installation.objects.exists()


def test_a_duplicate_name_in_the_same_workspace_is_refused(installation, install, shop_version):
    with pytest.raises(ValidationError) as exc:
        install(shop_version, "shop-prod")
    assert "already has an installation named shop-prod" in exc.value.message_dict["name"][0]


def test_the_first_render_is_deployed(installation):
    render = installation.renders.get()
    assert render.state == Render.State.DEPLOYED
    assert render.trigger == Render.Trigger.INSTALL
    assert render.render_hash.startswith("sha256:")
    assert render.commit_sha == Repository(installation.repo_path).head()
    assert render.author_name == "Olga Owner"
    assert render.task_id
    assert not installation.reconciling
