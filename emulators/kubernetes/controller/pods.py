"""Pods the simulated controllers make for their workloads: their status in each state,
and the log lines their (simulated) programs print."""

from __future__ import annotations

import copy

from ..store import Record, now_iso
from .common import owner_reference, short_hash


def ensure_pods(
    ctl,
    owner: Record,
    count: int,
    state: str,
    *,
    names: list[str] | None = None,
    nodes: list[str] | None = None,
    revision_label: tuple[str, str] | None = None,
) -> None:
    """`count` pods of `owner`'s pod template in `state`; extra ones it made are removed."""
    pod_type = ctl.rt("", "v1", "pods")
    meta = owner.obj["metadata"]
    template = (owner.obj.get("spec") or {}).get("template") or {}
    if names is None:
        names = [f"{meta['name']}-{short_hash([meta['uid'], i], 5)}" for i in range(count)]
    wanted = set(names[:count])
    for name in owner.sim.get("pods", set()) - wanted:
        rec = ctl.store.find(pod_type, meta["namespace"], name)
        if rec is not None:
            ctl.store.delete(pod_type, meta["namespace"], name)
    owner.sim["pods"] = wanted
    for i, name in enumerate(names[:count]):
        pod = ctl.store.find(pod_type, meta["namespace"], name)
        if pod is None:
            pod_spec = copy.deepcopy(template.get("spec") or {})
            pod_spec["nodeName"] = nodes[i] if nodes else f"emulator-node-{i % 3 + 1}"
            labels = dict((template.get("metadata") or {}).get("labels") or {})
            if revision_label:
                labels[revision_label[0]] = revision_label[1]
            obj = {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": name,
                    "namespace": meta["namespace"],
                    "labels": labels,
                    "ownerReferences": [owner_reference(owner)],
                },
                "spec": pod_spec,
            }
            annotations = (template.get("metadata") or {}).get("annotations")
            if annotations:
                obj["metadata"]["annotations"] = dict(annotations)
            pod = ctl.store.system_create(pod_type, obj)
            pod.sim["started"] = now_iso()
        pod.sim["state"] = state
        ctl.write_status(pod, pod_status(pod, state, i))


def qos_class(spec: dict) -> str:
    containers = (spec.get("containers") or []) + (spec.get("initContainers") or [])
    resources = [c.get("resources") or {} for c in containers]
    if not any(r.get("requests") or r.get("limits") for r in resources):
        return "BestEffort"
    for r in resources:
        limits, requests = r.get("limits") or {}, r.get("requests") or {}
        if not {"cpu", "memory"} <= set(limits):
            return "Burstable"
        if any(requests.get(k, v) != v for k, v in limits.items()):
            return "Burstable"
    return "Guaranteed"


def _terminated_status(pod: Record, succeeded: bool, index: int) -> dict:
    started = pod.sim["started"]
    spec = pod.obj["spec"]
    finished = pod.sim.setdefault("finished", now_iso())
    reason = "Completed" if succeeded else "Error"
    conditions = [
        {"type": "PodReadyToStartContainers", "status": "False"},
        {"type": "Initialized", "status": "True"},
        {"type": "Ready", "status": "False", "reason": "PodCompleted"},
        {"type": "ContainersReady", "status": "False", "reason": "PodCompleted"},
        {"type": "PodScheduled", "status": "True"},
    ]
    for c in conditions:
        c["lastTransitionTime"] = started
    return {
        "phase": "Succeeded" if succeeded else "Failed",
        "conditions": conditions,
        "hostIP": f"172.18.0.{index % 3 + 2}",
        "startTime": started,
        "containerStatuses": [
            {
                "name": c["name"],
                "image": c.get("image", ""),
                "imageID": f"docker.io/library/{c.get('image', '')}@sha256:{'0' * 64}",
                "ready": False,
                "restartCount": 0,
                "started": False,
                "state": {
                    "terminated": {
                        "exitCode": 0 if succeeded else 1,
                        "reason": reason,
                        "startedAt": started,
                        "finishedAt": finished,
                    }
                },
            }
            for c in spec.get("containers") or []
        ],
        "qosClass": qos_class(spec),
    }


def pod_status(pod: Record, state: str, index: int) -> dict:
    """A Pod's status in one of the states: creating, running, CrashLoopBackOff,
    ImagePullBackOff (a Deployment's or StatefulSet's pods), succeeded, failed (a Job's)."""
    started = pod.sim["started"]
    spec = pod.obj["spec"]
    running = state == "running"
    ready = "True" if running else "False"
    if state in ("succeeded", "failed"):
        return _terminated_status(pod, state == "succeeded", index)
    cond_time = started
    conditions = [
        {"type": "PodReadyToStartContainers", "status": "False" if state == "creating" else "True"},
        {"type": "Initialized", "status": "True"},
        {"type": "Ready", "status": ready},
        {"type": "ContainersReady", "status": ready},
        {"type": "PodScheduled", "status": "True"},
    ]
    for c in conditions:
        c["lastTransitionTime"] = cond_time
        if c["status"] == "False" and c["type"] in ("Ready", "ContainersReady"):
            c["reason"] = "ContainersNotReady"
            names = " ".join(ct["name"] for ct in spec.get("containers") or [])
            c["message"] = f"containers with unready status: [{names}]"
    statuses = []
    for c in spec.get("containers") or []:
        entry = {
            "name": c["name"],
            "image": c.get("image", ""),
            "imageID": "",
            "ready": running,
            "restartCount": 0,
            "started": running,
        }
        if running:
            entry["imageID"] = f"docker.io/library/{c.get('image', '')}@sha256:{'0' * 64}"
            entry["state"] = {"running": {"startedAt": started}}
        elif state == "CrashLoopBackOff":
            entry["imageID"] = f"docker.io/library/{c.get('image', '')}@sha256:{'0' * 64}"
            entry["restartCount"] = 3
            entry["state"] = {
                "waiting": {
                    "reason": "CrashLoopBackOff",
                    "message": f"back-off 40s restarting failed container={c['name']} pod={pod.obj['metadata']['name']}_"
                    f"{pod.obj['metadata']['namespace']}({pod.obj['metadata']['uid']})",
                }
            }
            entry["lastState"] = {
                "terminated": {
                    "exitCode": 1,
                    "reason": "Error",
                    "startedAt": started,
                    "finishedAt": started,
                }
            }
        elif state == "ImagePullBackOff":
            entry["state"] = {
                "waiting": {
                    "reason": "ImagePullBackOff",
                    "message": f'Back-off pulling image "{c.get("image", "")}"',
                }
            }
        else:
            entry["state"] = {"waiting": {"reason": "ContainerCreating"}}
        statuses.append(entry)
    return {
        "phase": "Running" if state in ("running", "CrashLoopBackOff") else "Pending",
        "conditions": conditions,
        "hostIP": f"172.18.0.{index % 3 + 2}",
        "podIP": f"10.244.{index % 3}.{int(pod.obj['metadata']['uid'][:2], 16) % 250 + 2}",
        "startTime": started,
        "containerStatuses": statuses,
        "qosClass": qos_class(spec),
    }


def pod_log(pod: dict, container: str | None, state: str | None) -> list[str]:
    """A few log lines for a pod's container, as its (simulated) program would print them."""
    containers = [c["name"] for c in pod["spec"].get("containers") or []]
    name = container or containers[0]
    image = next((c.get("image", "") for c in pod["spec"]["containers"] if c["name"] == name), "")
    t = pod["metadata"].get("creationTimestamp", "")
    lines = [
        f"{t} INFO starting {name} ({image})",
        f"{t} INFO loading configuration from /etc/{name}/config.yaml",
        f"{t} INFO connected to dependencies",
    ]
    if state in ("CrashLoopBackOff", "failed"):
        lines += [
            f"{t} ERROR configuration is invalid: missing required setting",
            f"{t} FATAL exiting with status 1",
        ]
    elif state == "succeeded":
        lines += [f"{t} INFO done", f"{t} INFO exiting with status 0"]
    else:
        lines += [f"{t} INFO listening on :8080", f"{t} INFO ready to serve requests"]
    return lines
