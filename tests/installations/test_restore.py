"""Restore: a new forward commit with an old render's tree, then a re-render; no rewriting."""

from __future__ import annotations

import pytest

from installations import actions
from installations.models import Installation, Render
from installations.repository import Repository


def test_restore_makes_a_forward_commit_with_the_old_tree_and_re_renders(
    installation, base, run_tasks, change_inputs
):
    repo = Repository(installation.repo_path)
    first = installation.renders.get()
    second = change_inputs(installation, message="v2")
    history_before = [c.sha for c in repo.log()]

    restored = run_tasks(actions.restore_render, first, user=base.member)

    restored.refresh_from_db()
    commits = repo.log()
    restore_commit = commits[0]
    assert restore_commit.subject == f"Restore render {first.id} ({first.commit_sha[:7]})"
    assert restore_commit.author.email == "member@globex.example"
    assert restore_commit.parents == (second.commit_sha,)
    assert restore_commit.tree == repo.tree_sha(first.commit_sha)
    assert [c.sha for c in commits[1:]] == history_before  # nothing rewritten
    assert restored.trigger == Render.Trigger.RESTORE
    assert restored.restored_from == first
    assert restored.state == Render.State.DEPLOYED
    assert restored.render_hash == first.render_hash
    assert (
        restored.commit_sha == restore_commit.sha
    )  # the restore commit already holds the manifests
    assert actions.current_inputs(installation)[0]["message"] == "hi"
    installation.refresh_from_db()
    assert installation.state == Installation.State.PENDING
    repo.fsck()


def test_a_later_change_after_a_restore_renders_normally(
    installation, base, run_tasks, change_inputs
):
    first = installation.renders.get()
    change_inputs(installation, message="v2")
    run_tasks(actions.restore_render, first, user=base.owner)
    render = change_inputs(installation, message="v2")
    assert render.state == Render.State.DEPLOYED


def test_a_failed_render_cannot_be_restored(installation, base, change_inputs):
    failed = change_inputs(installation, replicas=6)
    with pytest.raises(actions.InstallationError, match="only a render that produced manifests"):
        actions.restore_render(failed, user=base.owner)


def test_restoring_the_current_render_makes_no_commit(installation, base, run_tasks):
    repo = Repository(installation.repo_path)
    head = repo.head()
    render = run_tasks(actions.restore_render, installation.renders.get(), user=base.owner)
    render.refresh_from_db()
    assert repo.head() == head
    assert render.state == Render.State.SKIPPED
