"""One render at a time per installation; a newer request supersedes a queued one."""

from __future__ import annotations

from django.utils import timezone

from installations import actions
from installations.models import Installation, Render


def hold_tasks(monkeypatch):
    sent: list[str] = []
    monkeypatch.setattr("installations.enqueue.enqueue_render", sent.append)
    return sent


def test_a_newer_request_supersedes_a_queued_one(installation, monkeypatch, change_inputs):
    sent = hold_tasks(monkeypatch)
    older = change_inputs(installation, message="a")
    newer = change_inputs(installation, message="b")

    actions.run_render(sent[0])  # the older task runs first

    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.state == Render.State.SUPERSEDED
    assert older.message == f"Superseded by {newer.id}"
    assert older.commit_sha == ""
    assert newer.state == Render.State.DEPLOYED
    actions.run_render(sent[1])  # the newer task finds its render done: nothing happens
    newer.refresh_from_db()
    assert newer.state == Render.State.DEPLOYED
    assert installation.renders.filter(state=Render.State.DEPLOYED).count() == 2


def test_a_task_that_cannot_claim_leaves_the_render_for_the_holder(
    installation, base, monkeypatch, run_tasks
):
    sent = hold_tasks(monkeypatch)
    Installation.objects.filter(pk=installation.pk).update(render_claimed_at=timezone.now())
    render = run_tasks(
        actions.request_render, installation, trigger=Render.Trigger.MANUAL, user=base.owner
    )
    actions.run_render(sent[0])
    render.refresh_from_db()
    assert render.state == Render.State.QUEUED  # another render holds the installation

    Installation.objects.filter(pk=installation.pk).update(render_claimed_at=None)
    actions.run_render(sent[0])  # what the holder does after releasing
    render.refresh_from_db()
    assert render.state == Render.State.SKIPPED


def test_a_stale_claim_from_a_dead_worker_is_taken_over(installation, base, monkeypatch, run_tasks):
    sent = hold_tasks(monkeypatch)
    stuck = actions.request_render(installation, trigger=Render.Trigger.MANUAL)
    Render.objects.filter(pk=stuck.pk).update(state=Render.State.RUNNING)
    Installation.objects.filter(pk=installation.pk).update(
        render_claimed_at=timezone.now() - timezone.timedelta(hours=2)
    )
    fresh = run_tasks(actions.request_render, installation, trigger=Render.Trigger.MANUAL)
    actions.run_render(sent[-1])
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.state == Render.State.FAILED
    assert "worker stopped" in stuck.error
    assert fresh.state == Render.State.SKIPPED


def test_a_duplicate_task_does_no_harm(installation, base, run_tasks):
    render = installation.renders.get()
    actions.run_render(render.id)
    render.refresh_from_db()
    assert render.state == Render.State.DEPLOYED
    assert installation.renders.count() == 1
