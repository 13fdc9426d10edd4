"""Every state change of an installation, each recorded in its timeline."""

from __future__ import annotations

import pytest

from clusters.models import Cluster
from installations import actions
from installations.models import Installation, Render


def transitions(installation):
    return [(e.from_state, e.to_state) for e in installation.events.order_by("id")]


def test_install_goes_pending_rendering_pending_without_a_cluster(installation):
    assert transitions(installation) == [
        ("", "pending"),
        ("pending", "rendering"),
        ("rendering", "pending"),
    ]
    assert installation.state == Installation.State.PENDING
    assert "no cluster assigned" in installation.state_reason


def test_with_a_cluster_a_render_leaves_it_syncing(base, shop_version, run_tasks):
    cluster = Cluster.objects.create(workspace=base.globex, name="prod-eu")
    inst = run_tasks(
        actions.create_installation,
        package_version=shop_version,
        customer_workspace=base.globex,
        name="with-cluster",
        inputs={},
        user=base.owner,
        cluster=cluster,
    )
    inst.refresh_from_db()
    assert inst.state == Installation.State.SYNCING
    assert "waiting to be applied to prod-eu" in inst.state_reason


def test_a_failed_render_fails_the_installation_and_a_good_one_recovers_it(
    installation, base, run_tasks
):
    _inputs, head = actions.current_inputs(installation)
    run_tasks(actions.update_inputs, installation, {"replicas": 6}, user=base.owner, base_sha=head)
    installation.refresh_from_db()
    assert installation.state == Installation.State.FAILED
    _inputs, head = actions.current_inputs(installation)
    run_tasks(actions.update_inputs, installation, {"replicas": 3}, user=base.owner, base_sha=head)
    installation.refresh_from_db()
    assert installation.state == Installation.State.PENDING
    assert transitions(installation)[-4:] == [
        ("pending", "rendering"),
        ("rendering", "failed"),
        ("failed", "rendering"),
        ("rendering", "pending"),
    ]


def test_a_queued_render_marks_it_reconciling_until_done(installation, base, monkeypatch):
    monkeypatch.setattr("installations.enqueue.enqueue_render", lambda render_id: None)
    render = actions.request_render(installation, trigger=Render.Trigger.MANUAL, user=base.owner)
    installation.refresh_from_db()
    assert installation.reconciling
    assert render.state == Render.State.QUEUED
    actions.run_render(render.id)
    installation.refresh_from_db()
    assert not installation.reconciling


def test_deleting_hides_it_and_refuses_changes(installation, base):
    actions.delete_installation(installation, user=base.owner)
    installation.refresh_from_db()
    assert installation.state == Installation.State.DELETED
    assert transitions(installation)[-1] == ("pending", "deleted")
    with pytest.raises(actions.InstallationError):
        actions.request_render(installation, trigger=Render.Trigger.MANUAL)
    assert installation.repo_path.exists()  # kept for audit


def test_set_state_records_who_and_why(installation, base):
    actions.set_state(
        installation, Installation.State.DEGRADED, "web: 0/2 ready", actor=base.vendor
    )
    event = installation.events.order_by("-id").first()
    assert (event.from_state, event.to_state, event.reason, event.actor) == (
        "pending",
        "degraded",
        "web: 0/2 ready",
        base.vendor,
    )
    count = installation.events.count()
    actions.set_state(installation, Installation.State.DEGRADED, "web: 0/2 ready")
    assert installation.events.count() == count  # nothing changed, nothing recorded
