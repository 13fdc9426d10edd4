"""Pod, pod template, container and volume defaults (k8s.io/kubernetes pkg/apis/core/v1/defaults.go).

Each function fills what is missing in place and never changes a value that is set.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps


def _dict(parent: dict, key: str) -> dict | None:
    value = parent.get(key)
    return value if isinstance(value, dict) else None


def on_spec(rule: Callable[[dict], None]) -> Callable[[dict], None]:
    """A defaulting rule of an object's spec, `rule(spec)`: an object without one (or with
    one that is not a mapping) has nothing to default."""

    @wraps(rule)
    def default(obj: dict) -> None:
        spec = _dict(obj, "spec")
        if spec is not None:
            rule(spec)

    return default


def _items(parent: dict, key: str) -> list[dict]:
    value = parent.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def image_pull_policy(image: str) -> str:
    """`Always` for `:latest` or no tag (and no digest), else `IfNotPresent`."""
    name, _, digest = (image or "").partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.partition(":")[2]
    if not tag and not digest:
        tag = "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def http_get(action: dict | None) -> None:
    if action is None:
        return
    action.setdefault("path", "/")
    action.setdefault("scheme", "HTTP")


def probe(p: dict | None) -> None:
    if p is None:
        return
    p.setdefault("timeoutSeconds", 1)
    p.setdefault("periodSeconds", 10)
    p.setdefault("successThreshold", 1)
    p.setdefault("failureThreshold", 3)
    http_get(_dict(p, "httpGet"))


def container(c: dict) -> None:
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = image_pull_policy(c.get("image", ""))
    c.setdefault("terminationMessagePath", "/dev/termination-log")
    c.setdefault("terminationMessagePolicy", "File")
    for port in _items(c, "ports"):
        port.setdefault("protocol", "TCP")
    for name in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe(_dict(c, name))
    lifecycle = _dict(c, "lifecycle") or {}
    for hook in ("postStart", "preStop"):
        http_get(_dict(_dict(lifecycle, hook) or {}, "httpGet"))
    for env in _items(c, "env"):
        field_ref = _dict(_dict(env, "valueFrom") or {}, "fieldRef")
        if field_ref is not None:
            field_ref.setdefault("apiVersion", "v1")


_VOLUME_SOURCES = {
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
}


def volume(v: dict) -> None:
    if not _VOLUME_SOURCES & set(v):
        v["emptyDir"] = {}
    for source in ("secret", "configMap", "downwardAPI", "projected"):
        if (s := _dict(v, source)) is not None:
            s.setdefault("defaultMode", 420)
    if (host_path := _dict(v, "hostPath")) is not None:
        host_path.setdefault("type", "")
    for field_item in _items(_dict(v, "downwardAPI") or {}, "items"):
        if (ref := _dict(field_item, "fieldRef")) is not None:
            ref.setdefault("apiVersion", "v1")
    for source in _items(_dict(v, "projected") or {}, "sources"):
        if (token := _dict(source, "serviceAccountToken")) is not None:
            token.setdefault("expirationSeconds", 3600)
    if (ephemeral := _dict(v, "ephemeral")) is not None:
        claim_spec = _dict(_dict(ephemeral, "volumeClaimTemplate") or {}, "spec")
        if claim_spec is not None:
            claim_spec.setdefault("volumeMode", "Filesystem")


def pod_spec(spec: dict | None) -> None:
    """SetDefaults_PodSpec and what it reaches: containers, volumes, probes."""
    if spec is None:
        return
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("restartPolicy", "Always")
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("schedulerName", "default-scheduler")
    for key in ("containers", "initContainers", "ephemeralContainers"):
        for c in _items(spec, key):
            container(c)
    for v in _items(spec, "volumes"):
        volume(v)


def template(parent: dict | None, key: str = "template") -> None:
    """The pod template under `parent[key]` (a workload's spec)."""
    tpl = _dict(parent or {}, key)
    if tpl is not None:
        pod_spec(_dict(tpl, "spec"))


@on_spec
def pod(spec: dict) -> None:
    """SetDefaults_Pod: requests default to limits, service links on (Pods only, not templates)."""
    for key in ("containers", "initContainers"):
        for c in _items(spec, key):
            resources = _dict(c, "resources")
            limits = _dict(resources or {}, "limits")
            if resources is not None and limits:
                requests = resources.setdefault("requests", {})
                for name, value in limits.items():
                    requests.setdefault(name, value)
    spec.setdefault("enableServiceLinks", True)
    if spec.get("hostNetwork"):  # templates too only behind a feature gate, off in v1.31
        for key in ("containers", "initContainers"):
            for c in _items(spec, key):
                for port in _items(c, "ports"):
                    if "containerPort" in port:
                        port.setdefault("hostPort", port["containerPort"])
    pod_spec(spec)


def claim_spec(spec: dict | None) -> None:
    if spec is not None:
        spec.setdefault("volumeMode", "Filesystem")
