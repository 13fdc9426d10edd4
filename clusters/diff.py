"""Compare what Akua applied with what the cluster has: `differences(applied, live)`.

Only the fields in the applied configuration count (the live object has defaults, status
and other managers' fields too). Lists of maps with a `name` (containers, ports, env…)
are matched by it; other lists compare whole. Each difference names the field's current
owner from `metadata.managedFields` when it can be found, so drift reads as
"spec.replicas: 2 → 5 (kubectl)".

Values are compared as JSON values here; what the API server stores in another form
(quantities, `1000m` is `1`) is sorted out by `clusters.drift`, which asks the server.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

_IGNORED_METADATA = {"managedFields", "resourceVersion", "uid", "generation", "creationTimestamp"}


def _key(item: Any) -> str | None:
    if isinstance(item, dict):
        for k in ("name", "mountPath", "containerPort", "port"):
            if k in item:
                return k
    return None


def differences(applied: Any, live: Any, path: tuple = ()) -> list[tuple[tuple, Any, Any]]:
    """[(path, applied value, live value)] for every applied field whose live value differs."""
    if isinstance(applied, dict):
        if not isinstance(live, dict):
            return [(path, applied, live)]
        out = []
        for k, v in applied.items():
            if path == ("metadata",) and k in _IGNORED_METADATA:
                continue
            if path == () and k in ("status",):
                continue
            out += differences(v, live.get(k), (*path, k))
        return out
    if isinstance(applied, list):
        if not isinstance(live, list):
            return [(path, applied, live)]
        key = _key(applied[0]) if applied else None
        if key and all(isinstance(i, dict) and key in i for i in applied):
            live_by = {i.get(key): i for i in live if isinstance(i, dict)}
            out = []
            for item in applied:
                other = live_by.get(item[key])
                sub = (*path, f"[{key}={item[key]}]")
                out += differences(item, other, sub) if other is not None else [(sub, item, None)]
            return out
        if len(applied) != len(live):
            return [(path, applied, live)]
        out = []
        for i, (a, b) in enumerate(zip(applied, live, strict=True)):
            out += differences(a, b, (*path, f"[{i}]"))
        return out
    if applied == live:
        return []
    if isinstance(applied, int | float) and isinstance(live, int | float) and applied == live:
        return []
    return [(path, applied, live)]


def matches(applied: dict, live: dict) -> bool:
    return not differences(applied, live)


def path_text(path: tuple) -> str:
    return ".".join(path).replace(".[", "[")


def value_at(obj: Any, path: tuple) -> Any:
    """The value at a `differences` path (`[name=web]` matches a list item by key,
    `[0]` by position); None when there is none."""
    node = obj
    for part in path:
        if part.startswith("[") and isinstance(node, list):
            inner = part[1:-1]
            if "=" in inner:
                key, _, wanted = inner.partition("=")
                node = next(
                    (i for i in node if isinstance(i, dict) and str(i.get(key)) == wanted), None
                )
            else:
                index = int(inner)
                node = node[index] if 0 <= index < len(node) else None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
        if node is None:
            return None
    return node


def owner(live: dict, path: tuple, *, exclude: str | tuple = "akua") -> str:
    """The field manager (other than `exclude`) whose managedFields cover `path`, or ""."""
    excluded = (exclude,) if isinstance(exclude, str) else exclude
    for entry in (live.get("metadata") or {}).get("managedFields") or []:
        if entry.get("manager") in excluded:
            continue
        node = entry.get("fieldsV1") or {}
        for part in path:
            if part.startswith("["):
                k, _, v = part[1:-1].partition("=")
                candidates = [n for n in node if n.startswith("k:") and f'"{k}":' in n]
                match = next((n for n in candidates if f'"{v}"' in n or f":{v}" in n), None)
                node = node.get(match) if match else None
            else:
                node = node.get(f"f:{part}")
            if node is None:
                break
        else:
            return entry.get("manager", "")
    return ""


def drift(applied: dict, live: dict) -> list[dict]:
    """Differences as values, without asking the server (clusters.drift does):
    [{path, applied, live, manager}]."""
    return [
        {"path": path_text(p), "applied": a, "live": b, "manager": owner(live, p)}
        for p, a, b in differences(secret_safe(applied), secret_safe(live))
    ]


def secret_safe(obj: dict) -> dict:
    """`obj` as Akua may store and show it: a Secret's values become keyed fingerprints.

    What Akua keeps of an applied object (the inventory) and what it shows of drift must
    never hold a Secret's value. Both sides of a drift comparison go through this, so a
    value changed on the cluster still shows as drift, as `fp:<hex>` → `fp:<hex>`. The
    API server folds `stringData` into base64 `data`; both count as the same key here.
    """
    if not isinstance(obj, dict) or obj.get("kind") != "Secret":
        return obj
    from akua.crypto import fingerprint

    safe = {k: v for k, v in obj.items() if k not in ("data", "stringData")}
    values: dict[str, str] = {}
    for key, value in (obj.get("data") or {}).items():
        if str(value).startswith("fp:"):  # already a stored, safe view
            values[key] = str(value)
            continue
        try:
            raw = base64.b64decode(str(value), validate=True)
        except (binascii.Error, ValueError):
            raw = str(value).encode()
        values[key] = "fp:" + fingerprint(raw)[:16]
    for key, value in (obj.get("stringData") or {}).items():
        values[key] = "fp:" + fingerprint(str(value).encode())[:16]
    if values or "data" in obj or "stringData" in obj:
        safe["data"] = values
    return safe
