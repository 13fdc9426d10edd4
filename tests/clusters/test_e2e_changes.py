"""Changing inputs applies new objects and prunes removed ones; a failing image degrades;
a conflict with another field manager is reported, not overwritten; Re-apply corrects drift."""

from __future__ import annotations

import kubernetes

from emulators.kubernetes import eventually
from installations.actions import current_inputs, update_inputs
from installations.deploy.assign import reapply
from installations.deploy.monitor import check_health
from installations.models import ApplyResult, Render


def _state(inst, want):
    def probe():
        inst.refresh_from_db()
        return check_health(inst) == want

    return probe


def _edit(run_tasks, inst, user, **changes):
    current, head = current_inputs(inst)
    run_tasks(update_inputs, inst, {**current, **changes}, user=user, base_sha=head)
    inst.refresh_from_db()
    return ApplyResult.objects.filter(installation=inst).first()


def test_new_objects_are_applied_and_removed_ones_pruned(installed, k8s_emulator, run_tasks, base):
    inst = installed(extra=True, keep=True)
    assert k8s_emulator.get("ConfigMap", "extra", "ns-web") is not None
    applied = _edit(run_tasks, inst, base.owner, extra=False, keep=False, replicas=3)
    actions = {e["subject"]: (e["action"], e["message"]) for e in applied.entries}
    assert actions["Deployment/ns-web/web"][0] == "configured"
    assert actions["Service/ns-web/web"][0] == "unchanged"
    assert actions["ConfigMap/ns-web/extra"][0] == "deleted"
    assert actions["ConfigMap/ns-web/kept"] == (
        "skipped",
        "Kept: annotated akua.dev/prune: disabled",
    )
    assert k8s_emulator.get("ConfigMap", "extra", "ns-web") is None
    assert k8s_emulator.get("ConfigMap", "kept", "ns-web") is not None
    assert k8s_emulator.get("Deployment", "web", "ns-web")["spec"]["replicas"] == 3
    assert {e.name for e in applied.inventory.all()} == {"ns-web", "web"}
    eventually(_state(inst, "healthy"), what="healthy")


def test_a_failing_image_degrades_the_installation_with_the_reason(installed, k8s_emulator):
    inst = installed(tag="1.0-fail")
    eventually(_state(inst, "degraded"), what="degraded")
    assert "exceeded its progress deadline" in inst.state_reason
    entry = inst.inventory.get(kind="Deployment")
    assert entry.health == "degraded"


def test_a_conflict_is_reported_and_reapply_takes_the_field_over(
    installed, k8s_emulator, run_tasks, base
):
    inst = installed(replicas=2)
    eventually(_state(inst, "healthy"))
    apps = kubernetes.client.AppsV1Api(k8s_emulator.api_client())
    apps.patch_namespaced_deployment(
        "web", "ns-web", {"spec": {"replicas": 5}}, field_manager="kubectl"
    )
    check_health(inst)
    drift = inst.inventory.get(kind="Deployment").drift
    assert drift == [{"path": "spec.replicas", "applied": 2, "live": 5, "manager": "kubectl"}]
    assert "changed outside Akua" in inst.state_reason

    applied = _edit(run_tasks, inst, base.owner, replicas=3)
    failed = [e for e in applied.entries if e["action"] == "failed"]
    assert [e["subject"] for e in failed] == ["Deployment/ns-web/web"]
    assert "conflict" in failed[0]["message"].lower() and "kubectl" in failed[0]["message"]
    assert inst.state == "failed"
    render = Render.objects.get(pk=applied.render_id)
    assert render.state == "failed" and "Deployment/ns-web/web" in render.error
    assert k8s_emulator.get("Deployment", "web", "ns-web")["spec"]["replicas"] == 5

    run_tasks(reapply, inst, user=base.owner)
    inst.refresh_from_db()
    assert k8s_emulator.get("Deployment", "web", "ns-web")["spec"]["replicas"] == 3
    assert ApplyResult.objects.filter(installation=inst).first().state == "applied"
    eventually(_state(inst, "healthy"))
    assert inst.inventory.filter(apply__state="applied").first().drift == []
