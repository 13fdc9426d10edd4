"""StatefulSets (pods `<name>-0` … `<name>-N-1`, revisions `<name>-<hash>`) and DaemonSets
(one pod per Node): ready after `ready_after`, never with an image tag ending in `-fail`."""

from __future__ import annotations

import copy

from ..store import Record
from .common import image_failure, set_counts
from .pods import ensure_pods


def _pod_state(template: dict, ready: bool, elapsed: float, ready_after: float) -> str:
    failure = image_failure(template)
    if ready:
        return "running"
    return failure if failure and elapsed >= ready_after else "creating"


def stateful_set(ctl, rec: Record, now: float) -> None:
    obj = rec.obj
    spec = obj.get("spec") or {}
    replicas = spec.get("replicas", 1)
    template = spec.get("template") or {}
    h, elapsed, sim = ctl.rollout(rec, now, template)
    name = obj["metadata"]["name"]
    revision = f"{name}-{h}"
    ready = image_failure(template) is None and ctl.ready(sim, h, elapsed)
    if ready:
        sim["current"] = revision
    status = copy.deepcopy(obj.get("status") or {})
    status.update(
        observedGeneration=obj["metadata"]["generation"],
        replicas=replicas,
        currentRevision=sim.get("current", revision),
        updateRevision=revision,
        collisionCount=0,
    )
    set_counts(
        status,
        readyReplicas=replicas if ready else 0,
        availableReplicas=replicas if ready else 0,
        currentReplicas=replicas if ready or sim.get("current", revision) == revision else 0,
        updatedReplicas=replicas if ready else 0,
    )
    ctl.write_status(rec, status)
    state = _pod_state(template, ready, elapsed, ctl.settings.ready_after)
    names = [f"{name}-{i}" for i in range(replicas)]
    ensure_pods(
        ctl,
        rec,
        replicas,
        state,
        names=names,
        revision_label=("controller-revision-hash", revision),
    )


def daemon_set(ctl, rec: Record, now: float) -> None:
    obj = rec.obj
    spec = obj.get("spec") or {}
    nodes = ctl.store.select(ctl.rt("", "v1", "nodes"))
    desired = len(nodes)
    template = spec.get("template") or {}
    h, elapsed, sim = ctl.rollout(rec, now, template)
    ready = image_failure(template) is None and ctl.ready(sim, h, elapsed)
    status = {"observedGeneration": obj["metadata"]["generation"]}
    set_counts(
        status,
        desiredNumberScheduled=desired,
        currentNumberScheduled=desired,
        updatedNumberScheduled=desired,
        numberMisscheduled=0,
        numberReady=desired if ready else 0,
        numberAvailable=desired if ready else 0,
        numberUnavailable=0 if ready else desired,
    )
    status.setdefault("numberMisscheduled", 0)
    status.setdefault("desiredNumberScheduled", 0)
    status.setdefault("currentNumberScheduled", 0)
    status.setdefault("numberReady", 0)
    ctl.write_status(rec, status)
    state = _pod_state(template, ready, elapsed, ctl.settings.ready_after)
    node_names = [n.obj["metadata"]["name"] for n in nodes]
    ensure_pods(ctl, rec, desired, state, nodes=node_names)
