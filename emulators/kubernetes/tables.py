"""Server-side printing: the `Table` a client gets when it asks for one (`kubectl get` does,
in `Accept`), with the columns a real server prints for the common kinds (`READY`,
`UP-TO-DATE`, `CLUSTER-IP`, …; `-o wide` adds the priority-1 ones). Other kinds get NAME
and AGE, a custom resource its CRD's additionalPrinterColumns (simple `.a.b` paths).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from .selectors import selector_string

Cell = Callable[[dict], object]


def wants_table(accept: str) -> bool:
    first = accept.split(",")[0]
    return "as=Table" in first and "g=meta.k8s.io" in first


def human_duration(seconds: int) -> str:
    """apimachinery's HumanDuration: `45s`, `5m3s`, `3h12m`, `4d2h`, `2y30d`."""
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 120:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        return f"{minutes}m{seconds % 60}s" if seconds % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        return f"{hours // 24}d{hours % 24}h" if hours % 24 else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    days = hours // 24
    if hours < 24 * 365 * 8:
        return f"{days // 365}y{days % 365}d" if days % 365 else f"{days // 365}y"
    return f"{days // 365}y"


def _since(timestamp: str | None) -> str:
    if not timestamp:
        return "<unknown>"
    then = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return human_duration(int((datetime.now(UTC) - then).total_seconds()))


def _get(obj, *path, default=None):
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            return default
        obj = obj[key]
    return obj


def _age(obj: dict) -> str:
    return _since(obj["metadata"].get("creationTimestamp"))


def _containers(obj: dict, *spec_path) -> list[dict]:
    return _get(obj, *spec_path, "containers", default=[]) or []


def _names(obj, *spec_path) -> str:
    return ",".join(c.get("name", "") for c in _containers(obj, *spec_path))


def _images(obj, *spec_path) -> str:
    return ",".join(c.get("image", "") for c in _containers(obj, *spec_path))


def _selector(obj: dict) -> str:
    return selector_string(_get(obj, "spec", "selector")) or "<none>"


def _pod_status(pod: dict) -> str:
    if pod["metadata"].get("deletionTimestamp"):
        return "Terminating"
    for status in _get(pod, "status", "containerStatuses", default=[]) or []:
        state = status.get("state") or {}
        reason = _get(state, "waiting", "reason") or _get(state, "terminated", "reason")
        if reason:
            return reason
    return _get(pod, "status", "phase", default="Pending")


def _ports(svc: dict) -> str:
    out = []
    for p in _get(svc, "spec", "ports", default=[]) or []:
        node = f":{p['nodePort']}" if p.get("nodePort") else ""
        out.append(f"{p.get('port')}{node}/{p.get('protocol', 'TCP')}")
    return ",".join(out) or "<none>"


def _external_ip(svc: dict) -> str:
    ingress = _get(svc, "status", "loadBalancer", "ingress", default=[]) or []
    ips = [i.get("ip") or i.get("hostname") for i in ingress]
    if ips:
        return ",".join(ips)
    if _get(svc, "spec", "type") == "LoadBalancer":
        return "<pending>"
    return ",".join(_get(svc, "spec", "externalIPs", default=[]) or []) or "<none>"


def _job_status(job: dict) -> str:
    for c in _get(job, "status", "conditions", default=[]) or []:
        if c.get("status") == "True" and c.get("type") in ("Complete", "Failed", "Suspended"):
            return c["type"]
    return "Running"


def _access_modes(pvc: dict) -> str:
    short = {
        "ReadWriteOnce": "RWO",
        "ReadOnlyMany": "ROX",
        "ReadWriteMany": "RWX",
        "ReadWriteOncePod": "RWOP",
    }
    return ",".join(short.get(m, m) for m in _get(pvc, "status", "accessModes", default=[]) or [])


def _hpa_targets(hpa: dict) -> str:
    out = []
    current = {
        _get(m, "resource", "name"): _get(m, "resource", "current", "averageUtilization")
        for m in _get(hpa, "status", "currentMetrics", default=[]) or []
    }
    for m in _get(hpa, "spec", "metrics", default=[]) or []:
        name = _get(m, "resource", "name")
        target = _get(m, "resource", "target", "averageUtilization")
        if name and target is not None:
            now = current.get(name)
            out.append(f"{name}: {'<unknown>' if now is None else f'{now}%'}/{target}%")
    return ", ".join(out) or "<none>"


def _node_status(node: dict) -> str:
    ready = next(
        (
            c
            for c in _get(node, "status", "conditions", default=[]) or []
            if c.get("type") == "Ready"
        ),
        {},
    )
    return "Ready" if ready.get("status") == "True" else "NotReady"


def _or_none(value) -> object:
    return "<none>" if value in (None, "", []) else value


def _ratio(done: tuple, of: tuple, of_default: int = 0) -> Cell:
    """`2/3`: a count out of another."""
    return lambda o: f"{_get(o, *done, default=0)}/{_get(o, *of, default=of_default)}"


_TEMPLATE = [  # the -o wide columns of a workload
    ("Containers", 1, lambda o: _names(o, "spec", "template", "spec")),
    ("Images", 1, lambda o: _images(o, "spec", "template", "spec")),
]

# (column name, priority, cell); NAME first and AGE last unless said otherwise
COLUMNS: dict[tuple[str, str], list[tuple[str, int, Cell]]] = {
    ("", "Namespace"): [("Status", 0, lambda o: _get(o, "status", "phase", default=""))],
    ("", "Pod"): [
        (
            "Ready",
            0,
            lambda o: (
                f"{sum(1 for s in _get(o, 'status', 'containerStatuses', default=[]) or [] if s.get('ready'))}"
                f"/{len(_containers(o, 'spec'))}"
            ),
        ),
        ("Status", 0, _pod_status),
        (
            "Restarts",
            0,
            lambda o: sum(
                s.get("restartCount", 0)
                for s in _get(o, "status", "containerStatuses", default=[]) or []
            ),
        ),
        ("AGE", 0, _age),
        ("IP", 1, lambda o: _or_none(_get(o, "status", "podIP"))),
        ("Node", 1, lambda o: _or_none(_get(o, "spec", "nodeName"))),
    ],
    ("apps", "Deployment"): [
        ("Ready", 0, _ratio(("status", "readyReplicas"), ("spec", "replicas"))),
        ("Up-to-date", 0, lambda o: _get(o, "status", "updatedReplicas", default=0)),
        ("Available", 0, lambda o: _get(o, "status", "availableReplicas", default=0)),
        ("AGE", 0, _age),
        *_TEMPLATE,
        ("Selector", 1, _selector),
    ],
    ("apps", "ReplicaSet"): [
        ("Desired", 0, lambda o: _get(o, "spec", "replicas", default=0)),
        ("Current", 0, lambda o: _get(o, "status", "replicas", default=0)),
        ("Ready", 0, lambda o: _get(o, "status", "readyReplicas", default=0)),
        ("AGE", 0, _age),
        *_TEMPLATE,
        ("Selector", 1, _selector),
    ],
    ("apps", "StatefulSet"): [
        ("Ready", 0, _ratio(("status", "readyReplicas"), ("spec", "replicas"))),
        ("AGE", 0, _age),
        *_TEMPLATE,
    ],
    ("apps", "DaemonSet"): [
        ("Desired", 0, lambda o: _get(o, "status", "desiredNumberScheduled", default=0)),
        ("Current", 0, lambda o: _get(o, "status", "currentNumberScheduled", default=0)),
        ("Ready", 0, lambda o: _get(o, "status", "numberReady", default=0)),
        ("Up-to-date", 0, lambda o: _get(o, "status", "updatedNumberScheduled", default=0)),
        ("Available", 0, lambda o: _get(o, "status", "numberAvailable", default=0)),
        (
            "Node Selector",
            0,
            lambda o: (
                selector_string(
                    {"matchLabels": _get(o, "spec", "template", "spec", "nodeSelector")}
                )
                or "<none>"
            ),
        ),
        ("AGE", 0, _age),
    ],
    ("batch", "Job"): [
        ("Status", 0, _job_status),
        ("Completions", 0, _ratio(("status", "succeeded"), ("spec", "completions"), 1)),
        ("AGE", 0, _age),
        *_TEMPLATE,
    ],
    ("batch", "CronJob"): [
        ("Schedule", 0, lambda o: _get(o, "spec", "schedule", default="")),
        ("Suspend", 0, lambda o: str(bool(_get(o, "spec", "suspend")))),
        ("Active", 0, lambda o: len(_get(o, "status", "active", default=[]) or [])),
        ("AGE", 0, _age),
    ],
    ("", "Service"): [
        ("Type", 0, lambda o: _get(o, "spec", "type", default="ClusterIP")),
        ("Cluster-IP", 0, lambda o: _or_none(_get(o, "spec", "clusterIP"))),
        ("External-IP", 0, _external_ip),
        ("Port(s)", 0, _ports),
        ("AGE", 0, _age),
        (
            "Selector",
            1,
            lambda o: selector_string({"matchLabels": _get(o, "spec", "selector")}) or "<none>",
        ),
    ],
    ("networking.k8s.io", "Ingress"): [
        ("Class", 0, lambda o: _or_none(_get(o, "spec", "ingressClassName"))),
        (
            "Hosts",
            0,
            lambda o: (
                ",".join(r.get("host", "*") for r in _get(o, "spec", "rules", default=[]) or [])
                or "*"
            ),
        ),
        (
            "Address",
            0,
            lambda o: ",".join(
                i.get("ip", "")
                for i in _get(o, "status", "loadBalancer", "ingress", default=[]) or []
            ),
        ),
        ("Ports", 0, lambda o: "80, 443" if _get(o, "spec", "tls") else "80"),
        ("AGE", 0, _age),
    ],
    ("", "ConfigMap"): [
        ("Data", 0, lambda o: len(o.get("data") or {}) + len(o.get("binaryData") or {}))
    ],
    ("", "Secret"): [
        ("Type", 0, lambda o: o.get("type", "Opaque")),
        ("Data", 0, lambda o: len(o.get("data") or {})),
    ],
    ("", "PersistentVolumeClaim"): [
        ("Status", 0, lambda o: _get(o, "status", "phase", default="Pending")),
        ("Volume", 0, lambda o: _get(o, "spec", "volumeName", default="")),
        ("Capacity", 0, lambda o: _get(o, "status", "capacity", "storage", default="")),
        ("Access Modes", 0, _access_modes),
        ("StorageClass", 0, lambda o: _get(o, "spec", "storageClassName", default="")),
        ("AGE", 0, _age),
    ],
    ("", "Node"): [
        ("Status", 0, _node_status),
        ("Roles", 0, lambda o: "<none>"),
        ("AGE", 0, _age),
        ("Version", 0, lambda o: _get(o, "status", "nodeInfo", "kubeletVersion", default="")),
    ],
    ("autoscaling", "HorizontalPodAutoscaler"): [
        (
            "Reference",
            0,
            lambda o: (
                f"{_get(o, 'spec', 'scaleTargetRef', 'kind')}/{_get(o, 'spec', 'scaleTargetRef', 'name')}"
            ),
        ),
        ("Targets", 0, _hpa_targets),
        ("MinPods", 0, lambda o: _get(o, "spec", "minReplicas", default=1)),
        ("MaxPods", 0, lambda o: _get(o, "spec", "maxReplicas", default=0)),
        ("Replicas", 0, lambda o: _get(o, "status", "currentReplicas", default=0)),
        ("AGE", 0, _age),
    ],
    ("policy", "PodDisruptionBudget"): [
        (
            "Min Available",
            0,
            lambda o: (
                _or_none(_get(o, "spec", "minAvailable"))
                if _get(o, "spec", "minAvailable") is not None
                else "N/A"
            ),
        ),
        (
            "Max Unavailable",
            0,
            lambda o: (
                _get(o, "spec", "maxUnavailable")
                if _get(o, "spec", "maxUnavailable") is not None
                else "N/A"
            ),
        ),
        ("Allowed Disruptions", 0, lambda o: _get(o, "status", "disruptionsAllowed", default=0)),
        ("AGE", 0, _age),
    ],
    ("storage.k8s.io", "StorageClass"): [
        ("Provisioner", 0, lambda o: o.get("provisioner", "")),
        ("ReclaimPolicy", 0, lambda o: o.get("reclaimPolicy", "")),
        ("VolumeBindingMode", 0, lambda o: o.get("volumeBindingMode", "")),
        ("AllowVolumeExpansion", 0, lambda o: str(bool(o.get("allowVolumeExpansion"))).lower()),
        ("AGE", 0, _age),
    ],
    ("networking.k8s.io", "IngressClass"): [
        ("Controller", 0, lambda o: _get(o, "spec", "controller", default="")),
        ("Parameters", 0, lambda o: "<none>"),
        ("AGE", 0, _age),
    ],
    ("", "ServiceAccount"): [("Secrets", 0, lambda o: len(o.get("secrets") or []))],
}


def _printer_columns(crd: dict | None, version: str) -> list[tuple[str, int, Cell]]:
    for v in _get(crd or {}, "spec", "versions", default=[]) or []:
        if v.get("name") != version:
            continue
        out = []
        for column in v.get("additionalPrinterColumns") or []:
            path = [p for p in (column.get("jsonPath") or "").split(".") if p]
            out.append(
                (
                    column.get("name", ""),
                    column.get("priority", 0),
                    lambda o, p=path: _or_none(_get(o, *p)),
                )
            )
        return out
    return []


_DEFAULT_CLASS = (
    "storageclass.kubernetes.io/is-default-class",
    "ingressclass.kubernetes.io/is-default-class",
)


def _name(obj: dict) -> str:
    """The name; a default StorageClass or IngressClass says so, as kubectl shows it."""
    annotations = obj["metadata"].get("annotations") or {}
    default = any(annotations.get(a) == "true" for a in _DEFAULT_CLASS)
    return obj["metadata"]["name"] + (" (default)" if default else "")


def table(rt, objects: list[dict], resource_version: str, crd: dict | None = None) -> dict:
    """A meta.k8s.io/v1 Table of `objects` (as served), each row with its metadata."""
    columns = list(
        COLUMNS.get((rt.group, rt.kind), []) if rt.builtin else _printer_columns(crd, rt.version)
    )
    if not any(name == "AGE" for name, _, _ in columns):
        columns.append(("AGE", 0, _age))
    columns.insert(0, ("Name", 0, _name))
    definitions = [
        {
            "name": "Name" if name == "Name" else ("Age" if name == "AGE" else name),
            "type": "string",
            "format": "name" if name == "Name" else "",
            "description": "",
            "priority": priority,
        }
        for name, priority, _ in columns
    ]
    rows = [
        {
            "cells": [cell(obj) for _, _, cell in columns],
            "object": {
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": {k: v for k, v in obj["metadata"].items() if k != "managedFields"},
            },
        }
        for obj in objects
    ]
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": resource_version},
        "columnDefinitions": definitions,
        "rows": rows,
    }
