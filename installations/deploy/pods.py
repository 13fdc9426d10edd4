"""The pods of an installation's workloads and their containers' logs, read from its cluster."""

from __future__ import annotations

from clusters.actions import ClusterActionError, client_for
from clusters.pods import WORKLOADS, container_log, pods_of
from installations.deploy.assign import current_apply


def pods(installation) -> list[dict]:
    """The pods of the installation's workloads (by their selectors), as the API returns them."""
    applied = current_apply(installation)
    if applied is None or installation.cluster_id is None:
        return []
    client = client_for(applied.cluster)
    try:
        workloads = applied.inventory.filter(kind__in=WORKLOADS)
        return pods_of(client, [(e.kind, e.namespace, e.name, e.applied) for e in workloads])
    finally:
        client.close()


def pod_log(installation, namespace: str, pod: str, container: str, *, tail: int = 200) -> str:
    """The last `tail` lines of a container's log; refuses pods that are not the installation's."""
    names = {(p["metadata"].get("namespace"), p["metadata"]["name"]) for p in pods(installation)}
    if (namespace, pod) not in names:
        raise ClusterActionError(f"{pod} is not a pod of {installation.name}.")
    client = client_for(current_apply(installation).cluster)
    try:
        return container_log(client, namespace, pod, container, tail=tail)
    finally:
        client.close()
