"""One apply (or uninstall) of an installation writes to its cluster at a time: the apply
task claims the installation with a conditional UPDATE (`Installation.apply_claimed_at`),
a task that cannot claim leaves the work to the holder, a stale claim is taken over."""

from __future__ import annotations

import threading
from ast import literal_eval

import pytest
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule

from clusters.actions import ClusterActionError
from installations.actions import current_inputs, delete_installation, update_inputs
from installations.deploy import apply
from installations.deploy.apply import run_apply
from installations.deploy.assign import current_apply, latest_render
from installations.models import ApplyResult, Installation


def _hold_applies(monkeypatch) -> list[tuple]:
    sent: list[tuple] = []
    monkeypatch.setattr("installations.enqueue.enqueue_apply", lambda *a, **k: sent.append(a))
    return sent


def _new_render(run_tasks, inst, user, **changes):
    current, head = current_inputs(inst)
    run_tasks(update_inputs, inst, {**current, **changes}, user=user, base_sha=head)
    inst.refresh_from_db()
    return latest_render(inst)


def _hold_first_apply_in_the_cluster(monkeypatch):
    """apply_objects waits (the first caller only) until `go` is set; `inside` says it got there."""
    inside, go = threading.Event(), threading.Event()
    real = apply.apply_objects
    calls = []

    def slow(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            inside.set()
            assert go.wait(30), "the test never let the first apply go on"
        return real(*args, **kwargs)

    monkeypatch.setattr(apply, "apply_objects", slow)
    return inside, go


def _in_thread(fn, errors, then=None) -> threading.Thread:
    def run():
        try:
            fn()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            if then is not None:
                then.set()
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_two_applies_racing_on_one_installation_make_one_apply_per_render(
    installed, base, monkeypatch, run_tasks
):
    inst = installed()
    _hold_applies(monkeypatch)
    render = _new_render(run_tasks, inst, base.owner, replicas=3)
    assert not render.applies.exists()
    inside, go = _hold_first_apply_in_the_cluster(monkeypatch)
    errors: list[Exception] = []

    first = _in_thread(lambda: run_apply(inst.pk, render.pk), errors)
    assert inside.wait(30)
    second = _in_thread(lambda: run_apply(inst.pk, render.pk), errors, then=go)
    second.join(30)
    first.join(60)

    assert errors == []
    assert not first.is_alive() and not second.is_alive()
    assert render.applies.count() == 1
    assert render.applies.get().state == ApplyResult.State.APPLIED
    assert inst.applies.filter(state=ApplyResult.State.RUNNING).count() == 0
    inst.refresh_from_db()
    assert inst.apply_claimed_at is None


@pytest.mark.django_db(transaction=True)
def test_a_render_that_arrives_during_an_apply_is_applied_when_the_holder_releases(
    installed, base, k8s_emulator, monkeypatch, run_tasks
):
    inst = installed()
    sent = _hold_applies(monkeypatch)
    older = _new_render(run_tasks, inst, base.owner, replicas=3)
    inside, go = _hold_first_apply_in_the_cluster(monkeypatch)
    errors: list[Exception] = []

    holder = _in_thread(lambda: run_apply(inst.pk, older.pk), errors)
    assert inside.wait(30)
    newer = _new_render(run_tasks, inst, base.owner, replicas=4)
    assert sent[-1] == (inst.pk, newer.pk)
    run_apply(inst.pk, newer.pk)  # its own task: cannot claim, leaves it to the holder
    assert not newer.applies.exists()
    go.set()
    holder.join(60)

    assert errors == []
    assert [r.render_id for r in inst.applies.order_by("started_at")][-2:] == [older.pk, newer.pk]
    assert older.applies.count() == 1 and newer.applies.count() == 1
    assert current_apply(inst).render_id == newer.pk
    assert k8s_emulator.get("Deployment", "web", "ns-web")["spec"]["replicas"] == 4


def test_an_apply_that_cannot_claim_changes_nothing(installed, base, monkeypatch, run_tasks):
    inst = installed()
    _hold_applies(monkeypatch)
    render = _new_render(run_tasks, inst, base.owner, replicas=3)
    Installation.objects.filter(pk=inst.pk).update(apply_claimed_at=timezone.now())

    run_apply(inst.pk, render.pk)

    assert not render.applies.exists()
    assert not Schedule.objects.filter(name=f"apply {inst.pk} later").exists()


def test_a_forced_reapply_that_cannot_claim_is_sent_again_later(installed, base):
    inst = installed()
    render = latest_render(inst)
    Installation.objects.filter(pk=inst.pk).update(apply_claimed_at=timezone.now())

    run_apply(inst.pk, render.pk, force=True, user_id=base.owner.pk)
    run_apply(inst.pk, render.pk, force=True, user_id=base.owner.pk)  # one waits, not two

    later = Schedule.objects.get(name=f"apply {inst.pk} later")
    assert later.func == "installations.tasks.apply_installation"
    assert later.schedule_type == Schedule.ONCE
    assert literal_eval(later.args) == (inst.pk, render.pk)
    assert literal_eval(later.kwargs) == {"force": True, "user_id": base.owner.pk}
    assert later.next_run > timezone.now()
    assert render.applies.count() == 1  # the first apply only


def test_a_stale_claim_from_a_dead_worker_is_taken_over(installed, base, monkeypatch, run_tasks):
    inst = installed()
    _hold_applies(monkeypatch)
    render = _new_render(run_tasks, inst, base.owner, replicas=3)
    stuck = ApplyResult.objects.create(
        installation=inst, render=render, cluster=inst.cluster, namespace=inst.namespace
    )
    Installation.objects.filter(pk=inst.pk).update(
        apply_claimed_at=timezone.now() - timezone.timedelta(hours=2)
    )

    run_apply(inst.pk, render.pk)

    stuck.refresh_from_db()
    assert stuck.state == ApplyResult.State.FAILED
    assert "worker stopped" in stuck.message
    assert render.applies.filter(state=ApplyResult.State.APPLIED).count() == 1
    inst.refresh_from_db()
    assert inst.apply_claimed_at is None


def test_a_claim_younger_than_the_timeout_is_not_taken_over(
    installed, base, monkeypatch, run_tasks
):
    inst = installed()
    _hold_applies(monkeypatch)
    render = _new_render(run_tasks, inst, base.owner, replicas=3)
    held = timezone.now() - timezone.timedelta(minutes=5)
    Installation.objects.filter(pk=inst.pk).update(apply_claimed_at=held)

    run_apply(inst.pk, render.pk)

    assert not render.applies.exists()
    inst.refresh_from_db()
    assert inst.apply_claimed_at == held  # never released by a task that did not claim


def test_delete_refuses_while_an_apply_holds_the_claim(installed, base, k8s_emulator):
    inst = installed()
    Installation.objects.filter(pk=inst.pk).update(apply_claimed_at=timezone.now())

    with pytest.raises(ClusterActionError, match="being applied"):
        delete_installation(inst, user=base.owner)

    inst.refresh_from_db()
    assert inst.state != Installation.State.DELETED
    assert k8s_emulator.get("Deployment", "web", "ns-web") is not None


def test_delete_releases_the_claim(installed, base):
    inst = installed()
    delete_installation(inst, user=base.owner)
    inst.refresh_from_db()
    assert inst.state == Installation.State.DELETED
    assert inst.apply_claimed_at is None
