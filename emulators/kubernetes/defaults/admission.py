"""What the API server fills in beyond defaulting: allocations made by the registry
(Service cluster IPs and node ports, a Job's selector) and by admission plugins (a
PVC's default StorageClass, a Pod's service account, priority and tolerations), and the
Namespace's finalizer. Runs after field ownership is recorded, as in the real server, so
none of it is owned by the writer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from .pods import _dict, _items, on_spec


def _number(*parts) -> int:
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:4], "big")


def service(obj: dict, old: dict | None) -> None:
    spec = _dict(obj, "spec")
    if spec is None:
        return
    uid = obj["metadata"].get("uid", "")
    old_spec = (old or {}).get("spec") or {}
    if spec.get("type") == "ExternalName":
        return
    if not spec.get("clusterIP"):
        ip = old_spec.get("clusterIP")
        if not ip:
            n = _number(uid)
            ip = f"10.96.{(n >> 8) % 256}.{n % 254 + 1}"
        spec["clusterIP"] = ip
    if not spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"]]
    headless_without_selector = spec["clusterIP"] == "None" and not spec.get("selector")
    spec.setdefault("ipFamilies", ["IPv4"])
    spec.setdefault(
        "ipFamilyPolicy", "RequireDualStack" if headless_without_selector else "SingleStack"
    )
    if spec.get("type") in ("NodePort", "LoadBalancer") and spec.get(
        "allocateLoadBalancerNodePorts", True
    ):
        old_ports = {(p.get("port"), p.get("protocol")): p for p in _items(old_spec, "ports")}
        for port in _items(spec, "ports"):
            if not port.get("nodePort"):
                previous = old_ports.get((port.get("port"), port.get("protocol")), {})
                port["nodePort"] = (
                    previous.get("nodePort")
                    or 30000 + _number(uid, port.get("port"), port.get("protocol")) % 2768
                )
    if spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local":
        if not spec.get("healthCheckNodePort"):
            spec["healthCheckNodePort"] = old_spec.get("healthCheckNodePort") or (
                30000 + _number(uid, "health") % 2768
            )


def job(obj: dict) -> None:
    """A Job's generated selector and the labels it puts on its pod template (on create)."""
    spec = _dict(obj, "spec")
    if spec is None or spec.get("manualSelector"):
        return
    meta = obj["metadata"]
    uid, name = meta["uid"], meta["name"]
    spec["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    tpl = spec.setdefault("template", {})
    tpl_meta = tpl.setdefault("metadata", {})
    tpl_meta["labels"] = {
        **(tpl_meta.get("labels") or {}),
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": name,
        "controller-uid": uid,
        "job-name": name,
    }


def persistent_volume_claim(obj: dict, default_class: Callable[[], str | None]) -> None:
    spec = _dict(obj, "spec")
    if spec is not None and "storageClassName" not in spec:
        name = default_class()
        if name:
            spec["storageClassName"] = name


@on_spec
def pod(spec: dict) -> None:
    spec.setdefault("serviceAccountName", "default")
    spec.setdefault("serviceAccount", spec["serviceAccountName"])
    if not spec.get("priorityClassName"):
        spec.setdefault("priority", 0)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    tolerations = spec.setdefault("tolerations", [])
    for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
        if not any(t.get("key") == key for t in tolerations if isinstance(t, dict)):
            tolerations.append(
                {"key": key, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
            )


def namespace(obj: dict) -> None:
    spec = obj.setdefault("spec", {})
    if isinstance(spec, dict):
        spec.setdefault("finalizers", ["kubernetes"])
