"""The same manifests as the last deployed render: Render skipped, no commit."""

from __future__ import annotations

from installations import actions
from installations.models import Render
from installations.repository import Repository


def test_an_input_no_resource_uses_renders_the_same_and_is_skipped(installation, change_inputs):
    repo = Repository(installation.repo_path)
    first = installation.renders.get()
    render = change_inputs(installation, note="for the auditors")
    assert render.state == Render.State.SKIPPED
    assert render.render_hash == first.render_hash
    assert render.commit_sha == ""
    assert f"Same manifests as {first.id}" in render.message
    assert repo.commit().subject.startswith(
        "Update inputs: note"
    )  # the inputs commit, no render commit
    assert render.source_sha == repo.head()


def test_a_manual_re_render_of_an_unchanged_tree_is_skipped(installation, base, run_tasks):
    head = Repository(installation.repo_path).head()
    render = run_tasks(
        actions.request_render, installation, trigger=Render.Trigger.MANUAL, user=base.owner
    )
    render.refresh_from_db()
    assert render.state == Render.State.SKIPPED
    assert Repository(installation.repo_path).head() == head


def test_a_changed_input_is_deployed_with_a_render_commit(installation, change_inputs):
    render = change_inputs(installation, message="sale!")
    repo = Repository(installation.repo_path)
    assert render.state == Render.State.DEPLOYED
    assert render.commit_sha == repo.head()
    assert repo.commit().subject == f"render {render.render_hash}"
    assert repo.commit().parents == (render.source_sha,)
    assert b"sale!" in repo.read_file("manifests/000-configmap-shop.yaml")
