"""Read the pods of workloads and a container's log tail from a cluster (no Django models).

`pods_of(client, workloads)` takes `(kind, namespace, name, applied configuration)` of the
objects something applied and returns their pods as the API returns them: found by each
Deployment/StatefulSet/DaemonSet/ReplicaSet's `spec.selector.matchLabels`, Jobs by
`job-name`; each pod once. `container_log(client, namespace, pod, container, tail)` is the
last `tail` lines of a container's log, or "(no log: …)" when the API refuses.
"""

from __future__ import annotations

from collections.abc import Iterable

from clusters.client import ApiError, KubeClient, ObjectRef

WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"}


def pods_of(client: KubeClient, workloads: Iterable[tuple[str, str, str, dict]]) -> list[dict]:
    seen, out = set(), []
    for kind, namespace, name, applied in workloads:
        if kind not in WORKLOADS:
            continue
        selector = ((applied.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
        if kind == "Job" and not selector:
            selector = {"job-name": name}
        if not selector:
            continue
        text = ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
        for pod in client.list("v1", "Pod", namespace, text):
            key = (pod["metadata"].get("namespace"), pod["metadata"]["name"])
            if key not in seen:
                seen.add(key)
                out.append(pod)
    return out


def container_log(
    client: KubeClient, namespace: str, pod: str, container: str, *, tail: int = 200
) -> str:
    try:
        return client.request(
            "GET",
            client.path(ObjectRef("v1", "Pod", namespace, pod)) + "/log",
            query={"container": container, "tailLines": str(tail)},
            raw=True,
        )
    except ApiError as e:
        return f"(no log: {e.message})"
