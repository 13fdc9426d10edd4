"""A push landing while a render is running: neither commit is lost."""

from __future__ import annotations

import pytest

from installations import actions
from installations.actions import render as render_task
from installations.models import Render
from installations.repository import Repository, Signature

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_render_whose_compare_and_swap_fails_renders_the_new_head(shop, settings, monkeypatch):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}
    monkeypatch.setattr("installations.enqueue.enqueue_render", lambda render_id: "")
    repo = Repository(shop.repo_path)
    inputs = repo.read_file("inputs.yaml")
    repo.commit_files(
        {"inputs.yaml": inputs.replace(b"replicas: 2", b"replicas: 3")},
        "Three",
        author=Signature("Olga", "o@x"),
        parent=repo.head(),
    )
    render = actions.request_render(shop, trigger=Render.Trigger.INPUTS)
    real = render_task._render_tree
    pushed = {}

    def render_tree_while_someone_pushes(repo_, head, *args):
        result = real(repo_, head, *args)
        if not pushed:  # the push lands after the render read the head, before it commits
            inputs = repo.read_file("inputs.yaml").replace(b"replicas: 3", b"replicas: 4")
            pushed["sha"] = repo.commit_files(
                {"inputs.yaml": inputs}, "Four", author=Signature("Pat", "p@x"), parent=head
            )
        return result

    monkeypatch.setattr(render_task, "_render_tree", render_tree_while_someone_pushes)
    actions.run_render(render.id)

    render.refresh_from_db()
    assert render.state == Render.State.DEPLOYED, render.error
    assert render.source_sha == pushed["sha"]
    head = repo.commit()
    assert head.sha == render.commit_sha and head.parents == (pushed["sha"],)
    assert b"replicas: 4" in repo.read_file("manifests/001-deployment-shop.yaml")
    repo.fsck()
