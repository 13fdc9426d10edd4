"""Finding 5 of issue 10, through the git client on the emulator: after a push whose render
applies badly (a resource name no API server accepts), pushing the previous good inputs
again is committed, applied and healthy — it used to be "skipped: same manifests as" the
last deployed render, leaving the bad manifests at the tip and the installation failed."""

from __future__ import annotations

import pytest

from catalog.actions import publish_package_version
from clusters import actions as cluster_actions
from emulators.kubernetes import eventually
from installations.actions import repository
from installations.deploy import monitor
from installations.models import ApplyResult, Render
from tests.git.conftest import edit_inputs, repo_url, token_for

pytestmark = pytest.mark.django_db(transaction=True)

AKUA_TOML = """\
[package]
name = "named"
version = "1.0.0"
edition = "akua.dev/v1alpha1"
"""

PACKAGE_K = """\
import akua.ctx

schema Input:
    name: str = "web"
    \"\"\"The name of the ConfigMap.\"\"\"

input: Input = ctx.input()

resources = [{
    apiVersion = "v1"
    kind = "ConfigMap"
    metadata.name = input.name
    data.greeting = "hello"
}]
"""


@pytest.fixture
def named(base, tmp_path, live, k8s_emulator, install):
    directory = tmp_path / "named"
    directory.mkdir()
    (directory / "akua.toml").write_text(AKUA_TOML)
    (directory / "package.k").write_text(PACKAGE_K)
    version = publish_package_version(base.acme, directory, user=base.vendor)
    cluster = cluster_actions.import_cluster(
        workspace=base.globex,
        name="emu",
        kubeconfig_text=k8s_emulator.kubeconfig(),
        user=base.owner,
    )
    inst = install(version, "named", inputs={"name": "web"}, cluster=cluster, namespace="named")
    _healthy(inst)
    return inst


def _healthy(inst) -> None:
    def probe():
        inst.refresh_from_db()
        return monitor.check_health(inst) == "healthy"

    eventually(probe)


def _push(git, clone, message: str) -> str:
    git.run("commit", "-qam", message, cwd=clone)
    proc = git.run("push", "origin", "main", cwd=clone)
    return proc.stderr


def test_pushing_the_good_inputs_again_recovers_a_failed_apply(
    named, base, live, git, tmp_path, k8s_emulator
):
    good = named.renders.get(state=Render.State.DEPLOYED)
    clone = git.clone(repo_url(live, named, token_for(base.owner, base.globex)), tmp_path / "c")

    edit_inputs(clone, "name: web", "name: Bad_Name")
    _push(git, clone, "A name no API server accepts")
    named.refresh_from_db()
    assert named.state == "failed", named.state_reason
    assert "Bad_Name" in named.state_reason
    bad = named.renders.order_by("-generation").first()
    assert bad.commit_sha and bad.render_hash != good.render_hash  # committed, then refused
    assert bad.state == Render.State.FAILED and "Bad_Name" in bad.error
    assert named.applies.order_by("-started_at").first().state == ApplyResult.State.FAILED

    git.run("pull", "-q", "--rebase", "origin", "main", cwd=clone)
    edit_inputs(clone, "name: Bad_Name", "name: web")
    out = _push(git, clone, "Back to the good name")
    assert "skipped" not in out.lower()
    fix = named.renders.order_by("-generation").first()
    assert fix.state == Render.State.DEPLOYED, fix.message
    assert fix.render_hash == good.render_hash and fix.commit_sha != bad.commit_sha
    tip = repository(named).files("main", "manifests")
    assert list(tip) == ["manifests/000-configmap-web.yaml"]
    assert named.applies.order_by("-started_at").first().state == ApplyResult.State.APPLIED
    _healthy(named)
    assert k8s_emulator.get("ConfigMap", "web", "named") is not None


def test_the_same_manifests_at_the_tip_and_applied_are_still_skipped(
    named, base, live, git, tmp_path
):
    """A push that changes nothing the cluster runs (a comment) is skipped, as before."""
    clone = git.clone(repo_url(live, named, token_for(base.owner, base.globex)), tmp_path / "c")
    (clone / "inputs.yaml").write_text((clone / "inputs.yaml").read_text() + "# a note\n")
    _push(git, clone, "A comment")
    render = named.renders.order_by("-generation").first()
    assert render.state == Render.State.SKIPPED
    first = named.renders.order_by("generation").first()
    assert render.message == f"Same manifests as {first.id}; nothing to commit"
    named.refresh_from_db()
    assert named.state == "healthy"
