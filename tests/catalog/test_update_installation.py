"""Updating an installation to another version: one commit, inputs carried, v1 runs until v2 renders."""

from __future__ import annotations

import pytest

from catalog.actions import publish_package_version
from installations import actions
from installations.actions import InstallationError, create_installation
from installations.models import Installation, Render
from installations.repository import Repository

TOML = '[package]\nname = "app"\nversion = "{v}"\nedition = "akua.dev/v1alpha1"\n'
PROGRAM = """\
import akua.ctx

schema Input:
{fields}

input: Input = ctx.input()

resources = [{{
    apiVersion = "v1"
    kind = "ConfigMap"
    metadata.name = "app"
    data = {{edition = "{v}", size = str(input.{size})}}
}}]
"""
V1 = '    replicas: int = 1\n    """How many pods."""'
V2 = '    replicaCount: int = 1\n    """How many pods (was: replicas)."""'
V3 = V2 + '\n\n    domain: str\n    """The public domain; no default."""'


@pytest.fixture
def publish(base, tmp_path):
    def publish(version, fields, size):
        directory = tmp_path / version
        directory.mkdir()
        (directory / "akua.toml").write_text(TOML.format(v=version))
        (directory / "package.k").write_text(PROGRAM.format(v=version, fields=fields, size=size))
        if "domain: str" in fields:
            (directory / "inputs.example.yaml").write_text("domain: example.com\n")
        return publish_package_version(base.acme, directory, user=base.vendor)

    return publish


@pytest.fixture
def versions(publish):
    return (
        publish("1.0.0", V1, "replicas"),
        publish("2.0.0", V2, "replicaCount"),
        publish("3.0.0", V3, "replicaCount"),
    )


@pytest.fixture
def installation(base, versions, run_tasks):
    inst = run_tasks(
        create_installation,
        package_version=versions[0],
        customer_workspace=base.globex,
        name="app",
        inputs={"replicas": 3},
        user=base.owner,
    )
    inst.refresh_from_db()
    return inst


def manifest(inst) -> bytes:
    repo = Repository(inst.repo_path)
    return repo.read_file("manifests/000-configmap-app.yaml", repo.head())


def test_a_renamed_value_is_reported_and_v1_keeps_running(installation, versions, base, run_tasks):
    v1, v2, _ = versions
    before = manifest(installation)
    render = run_tasks(actions.upgrade_installation, installation, v2, user=base.owner)
    render.refresh_from_db()
    installation.refresh_from_db()
    repo = Repository(installation.repo_path)

    update = repo.log()[0]
    assert update.subject == "Update package app 1.0.0 -> 2.0.0"
    assert b'version = "2.0.0"' in repo.read_file("akua.toml", repo.head())
    assert b"replicas: 3" in repo.read_file("inputs.yaml", repo.head())  # not dropped
    assert "No longer inputs of this version (kept in inputs.yaml until resolved): replicas" in (
        repo.commit(repo.head()).message
    )

    assert render.state == Render.State.FAILED
    assert "replicas is no longer an input of app 2.0.0 (renamed or removed)" in render.error
    assert "app 1.0.0 keeps running until this renders" in render.error
    assert installation.package_version == v1
    assert installation.state == Installation.State.FAILED
    assert manifest(installation) == before  # the v1 render is still what the repository holds

    # Resolved: the value moves to its new name; the update renders and the version moves.
    _, head = actions.current_inputs(installation)
    fixed = run_tasks(
        actions.update_inputs, installation, {"replicaCount": 3}, user=base.owner, base_sha=head
    )
    fixed.refresh_from_db()
    installation.refresh_from_db()
    assert fixed.state == Render.State.DEPLOYED
    assert fixed.package_version == v2
    assert installation.package_version == v2
    assert b"edition: 2.0.0" in manifest(installation)
    assert b"size: '3'" in manifest(installation)


def test_moving_back_to_v1_resolves_it_too(installation, versions, base, run_tasks):
    v1, v2, _ = versions
    run_tasks(actions.upgrade_installation, installation, v2, user=base.owner)
    back = run_tasks(actions.upgrade_installation, installation, v1, user=base.owner)
    back.refresh_from_db()
    installation.refresh_from_db()
    assert back.state in (Render.State.SKIPPED, Render.State.DEPLOYED)
    assert installation.package_version == v1


def test_a_new_required_value_without_default_stops_the_update(
    installation, versions, base, run_tasks
):
    _, _, v3 = versions
    repo = Repository(installation.repo_path)
    head = repo.head()
    with pytest.raises(InstallationError) as caught:
        actions.upgrade_installation(installation, v3, user=base.owner)
    message = str(caught.value)
    assert "app 3.0.0 needs a value for domain (new and required, no default)" in message
    assert "Nothing was changed" in message
    assert repo.head() == head
    installation.refresh_from_db()
    assert installation.package_version == versions[0]


def test_giving_the_new_value_with_the_update_makes_one_commit(
    installation, versions, base, run_tasks
):
    _, _, v3 = versions
    repo = Repository(installation.repo_path)
    count = len(repo.log())
    render = run_tasks(
        actions.upgrade_installation,
        installation,
        v3,
        user=base.owner,
        values={"domain": "app.example.com", "replicaCount": 3, "replicas": None},
    )
    render.refresh_from_db()
    installation.refresh_from_db()
    assert render.state == Render.State.DEPLOYED, render.error
    assert installation.package_version == v3
    subjects = [c.subject for c in repo.log()[: len(repo.log()) - count]]
    assert subjects == [f"render {render.render_hash}", "Update package app 1.0.0 -> 3.0.0"]
    inputs, _ = actions.current_inputs(installation)
    assert inputs == {"replicaCount": 3, "domain": "app.example.com"}
