"""Moving an installation to a new package version: one commit, then a render."""

from __future__ import annotations

from installations import actions
from installations.models import Render
from installations.repository import Repository


def test_upgrade_commits_the_new_package_and_renders(installation, base, publish, run_tasks):
    v2 = publish("1.1.0")
    render = run_tasks(actions.upgrade_installation, installation, v2, user=base.vendor)
    render.refresh_from_db()
    installation.refresh_from_db()
    repo = Repository(installation.repo_path)
    assert installation.package_version == v2
    assert render.trigger == Render.Trigger.VERSION
    assert render.state == Render.State.DEPLOYED
    assert render.package_version == v2
    assert repo.log()[1].subject == "Update package shop 1.0.0 -> 1.1.0"
    assert b"edition: 1.1.0" in repo.read_file("manifests/000-configmap-shop.yaml")
    assert actions.current_inputs(installation)[0] == {"replicas": 2, "message": "hi"}


def test_restoring_a_render_from_before_the_upgrade_moves_the_version_back(
    installation, base, publish, run_tasks
):
    first = installation.renders.get()
    v2 = publish("1.1.0")
    run_tasks(actions.upgrade_installation, installation, v2, user=base.vendor)
    run_tasks(actions.restore_render, first, user=base.owner)
    installation.refresh_from_db()
    assert installation.package_version == first.package_version
