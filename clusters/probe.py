"""Probe a cluster: reachable or why not, server version, API groups, storage and ingress
classes, node count. Pure: a kubeconfig in, a `ProbeResult` out (clusters.actions stores it).

Something that answers but not as a Kubernetes API server (`/version` without a version,
`/api` not an `APIVersions`, or not JSON at all) is `not_kubernetes`: import refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clusters.client import ApiError, ClusterError, KubeClient, NotKubernetes, Unreachable

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
    not_kubernetes: bool = False


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
        api = client.get_json("/api", timeout=PROBE_TIMEOUT)
        if not (isinstance(version, dict) and "gitVersion" in version) or not (
            isinstance(api, dict) and api.get("kind") == "APIVersions"
        ):
            raise NotKubernetes(client.host, 200, "application/json")
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
    except NotKubernetes as e:
        return ProbeResult(False, e.reason, not_kubernetes=True)
    except Unreachable as e:
        return ProbeResult(False, e.reason)
    except ApiError as e:
        return ProbeResult(False, e.words)
    except ClusterError as e:
        return ProbeResult(False, str(e))
