"""The few validation rules whose messages an apply is likely to meet, worded as the real
server words them (`Deployment.apps "web" is invalid: spec.selector: Required value`)."""

from __future__ import annotations

import re

from .errors import invalid

_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")


def _path_segment_problem(value: str) -> str | None:
    """Why `value` is not a path segment name (Kubernetes' IsValidPathSegmentName), or None."""
    if value in (".", ".."):
        return f"may not be '{value}'"
    for bad in ("/", "%"):
        if bad in value:
            return f"may not contain '{bad}'"
    return None


def name(rt, obj: dict) -> None:
    meta = obj["metadata"]
    if not meta.get("name"):
        raise invalid(
            rt, "", [("metadata.name", "Required value: name or generateName is required")]
        )
    if rt.group == "rbac.authorization.k8s.io":
        # RBAC objects take any path segment (ValidateRBACName): `system:controller:x`,
        # `cert-manager-webhook:dynamic-serving`
        problem = _path_segment_problem(meta["name"])
        if problem:
            raise invalid(
                rt, meta["name"], [("metadata.name", f'Invalid value: "{meta["name"]}": {problem}')]
            )
        return
    if not _DNS_SUBDOMAIN.match(meta["name"]) or len(meta["name"]) > 253:
        raise invalid(
            rt,
            meta["name"],
            [
                (
                    "metadata.name",
                    f'Invalid value: "{meta["name"]}": a lowercase RFC 1123 subdomain must consist '
                    "of lower case alphanumeric characters, '-' or '.', and must start and end "
                    "with an alphanumeric character",
                )
            ],
        )


def validate(rt, obj: dict) -> None:
    obj_name = obj["metadata"].get("name", "")
    spec = obj.get("spec") or {}
    if rt.group == "apps" and rt.kind in _WORKLOADS:
        selector = (spec.get("selector") or {}).get("matchLabels")
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        if not spec.get("selector"):
            raise invalid(rt, obj_name, [("spec.selector", "Required value")])
        if selector and any(labels.get(k) != v for k, v in selector.items()):
            raise invalid(
                rt,
                obj_name,
                [
                    (
                        "spec.template.metadata.labels",
                        f"Invalid value: {labels}: `selector` does not match template `labels`",
                    )
                ],
            )
        containers = ((spec.get("template") or {}).get("spec") or {}).get("containers") or []
        if not containers:
            raise invalid(rt, obj_name, [("spec.template.spec.containers", "Required value")])
    if rt.group == "batch" and rt.kind == "Job":
        policy = ((spec.get("template") or {}).get("spec") or {}).get("restartPolicy")
        if policy not in ("OnFailure", "Never"):
            raise invalid(
                rt,
                obj_name,
                [
                    (
                        "spec.template.spec.restartPolicy",
                        f'Unsupported value: "{policy}": supported values: "OnFailure", "Never"',
                    )
                ],
            )
    if rt.kind == "CustomResourceDefinition":
        names = spec.get("names") or {}
        expected = f"{names.get('plural')}.{spec.get('group')}"
        if obj_name != expected:
            raise invalid(
                rt,
                obj_name,
                [
                    (
                        "metadata.name",
                        f'Invalid value: "{obj_name}": must be spec.names.plural+"."+spec.group',
                    )
                ],
            )
