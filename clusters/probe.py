"""Probe a cluster: reachable or why not, server version, API groups, storage and ingress
classes, node count. Pure: a kubeconfig in, a `ProbeResult` out (clusters.actions stores it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clusters.client import ApiError, ClusterError, KubeClient, Unreachable

PROBE_TIMEOUT = (3.0, 5.0)


@dataclass
class ProbeResult:
    reachable: bool
    reason: str = ""
    server_version: str = ""
    api_groups: list[str] = field(default_factory=list)
    storage_classes: list[str] = field(default_factory=list)
    ingress_classes: list[str] = field(default_factory=list)
    node_count: int | None = None


def _names(items: list[dict], default_annotation: str) -> list[str]:
    out = []
    for item in items:
        meta = item.get("metadata") or {}
        name = meta.get("name", "")
        if (meta.get("annotations") or {}).get(default_annotation) == "true":
            name += " (default)"
        out.append(name)
    return sorted(out)


def probe(client: KubeClient) -> ProbeResult:
    try:
        version = client.get_json("/version", timeout=PROBE_TIMEOUT)
        # /version may be open to anyone; /api needs the credentials.
        client.get_json("/api", timeout=PROBE_TIMEOUT)
        result = ProbeResult(True, server_version=version.get("gitVersion", ""))
        result.api_groups = client.api_groups()
        result.node_count = len(client.list("v1", "Node"))
        try:
            result.storage_classes = _names(
                client.list("storage.k8s.io/v1", "StorageClass"),
                "storageclass.kubernetes.io/is-default-class",
            )
        except ApiError:
            pass
        try:
            result.ingress_classes = _names(
                client.list("networking.k8s.io/v1", "IngressClass"),
                "ingressclass.kubernetes.io/is-default-class",
            )
        except ApiError:
            pass
        return result
    except Unreachable as e:
        return ProbeResult(False, e.reason)
    except ApiError as e:
        return ProbeResult(False, e.words)
    except ClusterError as e:
        return ProbeResult(False, str(e))
