"""Deployments, the ReplicaSets they make and those ReplicaSets' Pods."""

from __future__ import annotations

import copy

from ..store import Record
from .common import image_failure, owner_reference, set_condition, set_counts, short_hash
from .pods import ensure_pods


def deployment(ctl, rec: Record, now: float) -> None:
    """observedGeneration catches up at once; a ReplicaSet `<name>-<hash>` and its Pods are
    created; after `ready_after` the replicas are available (Available, Progressing
    NewReplicaSetAvailable). While a new template rolls out, the previous ReplicaSet's
    pods stay available. An image tag ending in `-fail` never becomes available and,
    after `progress_deadline`, reports ProgressDeadlineExceeded; its pods wait in
    CrashLoopBackOff (`-pull-fail`: ImagePullBackOff). `spec.paused` stops the rollout."""
    obj, s = rec.obj, ctl.settings
    spec = obj.get("spec") or {}
    name = obj["metadata"]["name"]
    template = spec.get("template") or {}
    replicas = spec.get("replicas", 1)
    sim, h = rec.sim, short_hash(template)
    if sim.get("hash") != h:
        if sim.get("hash"):  # a new template: the previous ReplicaSet's pods keep serving
            sim["old"] = (sim["hash"], sim.get("available", 0))
        sim["hash"], sim["since"] = h, now
    elapsed = now - sim["since"]
    status = copy.deepcopy(obj.get("status") or {})
    status["observedGeneration"] = obj["metadata"]["generation"]
    rs_name = f"{name}-{h}"
    if spec.get("paused"):
        set_condition(
            status, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", True
        )
        ctl.write_status(rec, status)
        return
    failure = image_failure(template)
    ready = failure is None and ctl.ready(sim, h, elapsed)
    if ready:
        sim.pop("old", None)
    old_hash, old_available = sim.get("old", (None, 0))
    old_available = min(old_available, replicas)
    available = replicas if ready else old_available
    sim["available"] = available
    set_counts(
        status,
        replicas=replicas + (0 if ready else old_available),
        updatedReplicas=replicas,
        readyReplicas=available,
        availableReplicas=available,
        unavailableReplicas=replicas - available,
    )
    min_available = replicas - (replicas * 25 // 100)
    if available >= min_available:
        set_condition(
            status,
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
            True,
        )
    else:
        set_condition(
            status,
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
            True,
        )
    if ready:
        set_condition(
            status,
            "Progressing",
            "True",
            "NewReplicaSetAvailable",
            f'ReplicaSet "{rs_name}" has successfully progressed.',
            True,
        )
    elif failure and elapsed >= s.progress_deadline:
        set_condition(
            status,
            "Progressing",
            "False",
            "ProgressDeadlineExceeded",
            f'ReplicaSet "{rs_name}" has timed out progressing.',
            True,
        )
    else:
        set_condition(
            status,
            "Progressing",
            "True",
            "ReplicaSetUpdated",
            f'ReplicaSet "{rs_name}" is progressing.',
            True,
        )
    ctl.write_status(rec, status)

    pod_state = (
        "running" if ready else (failure if failure and elapsed >= s.ready_after else "creating")
    )
    _replica_set(ctl, rec, h, template, replicas, pod_state, replicas if ready else 0)
    for other in sim.setdefault("replicasets", {}):
        if other != h:
            count = old_available if other == old_hash else 0
            _replica_set(ctl, rec, other, sim["replicasets"][other], count, "running", count)
    sim["replicasets"][h] = template


def _replica_set(
    ctl, dep: Record, h: str, template: dict, replicas: int, pod_state: str, available: int
):
    rs_type = ctl.rt("apps", "v1", "replicasets")
    dep_meta = dep.obj["metadata"]
    name, ns = f"{dep_meta['name']}-{h}", dep_meta["namespace"]
    labels = {**((template.get("metadata") or {}).get("labels") or {}), "pod-template-hash": h}
    rs = ctl.store.find(rs_type, ns, name)
    spec = {
        "replicas": replicas,
        "selector": {"matchLabels": labels},
        "template": {
            **template,
            "metadata": {**(template.get("metadata") or {}), "labels": labels},
        },
    }
    if rs is None:
        obj = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": name,
                "namespace": ns,
                "labels": labels,
                "ownerReferences": [owner_reference(dep)],
            },
            "spec": spec,
        }
        rs = ctl.store.system_create(rs_type, obj)
    elif rs.obj.get("spec") != spec:
        new = copy.deepcopy(rs.obj)
        new["spec"] = spec
        ctl.store.system_write(rs, new)
    status = {"observedGeneration": rs.obj["metadata"]["generation"], "replicas": replicas}
    set_counts(
        status,
        fullyLabeledReplicas=replicas,
        readyReplicas=available,
        availableReplicas=available,
    )
    ctl.write_status(rs, status)
    ensure_pods(ctl, rs, replicas, pod_state)
