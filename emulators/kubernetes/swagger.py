"""The Kubernetes OpenAPI v2 document the emulator serves from, and what is read out of it.

`swagger.json.gz` is an unchanged, gzipped copy of the document the `kubernetes` Python
client is generated from (kubernetes-client/python `kubernetes/swagger.json.unprocessed`,
Apache-2.0; the same file as `../shared/reference/kubernetes/swagger.json`). From it come:

- `resources()`: every resource of every served group version — plural, kind, scope,
  verbs and subresources — read from the paths and their `x-kubernetes-action`s, so
  discovery says what a real server says;
- `definition_for(group, version, kind)` and `definitions()`, for the OpenAPI v3 documents;
- `quantity_fields(group, version, kind)`: where a kind holds quantities, so the store can
  canonicalise them (`quantity.py`).

Loaded once per process (30 ms).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

FILE = Path(__file__).with_name("swagger.json.gz")
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
ACTION_VERBS = {
    "get": "get",
    "list": "list",
    "post": "create",
    "put": "update",
    "patch": "patch",
    "delete": "delete",
    "deletecollection": "deletecollection",
    "watch": "watch",
    "watchlist": "watch",
}
_GA = re.compile(r"^v[0-9]+$")
# Kinds the document has as GA that a v1.31 server (the version the emulator reports) did not
# serve yet, and group versions the emulator does not serve (objects are stored once per
# group and resource, without conversion between versions).
NOT_SERVED = {
    ("resource.k8s.io", "v1"),
    ("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicy"),
    ("admissionregistration.k8s.io", "v1", "MutatingAdmissionPolicyBinding"),
    ("networking.k8s.io", "v1", "IPAddress"),
    ("networking.k8s.io", "v1", "ServiceCIDR"),
    ("storage.k8s.io", "v1", "VolumeAttributesClass"),
    ("autoscaling", "v1"),  # HorizontalPodAutoscaler is served as autoscaling/v2
}


@dataclass
class ResourceEntry:
    group: str
    version: str
    plural: str
    kind: str = ""
    namespaced: bool = False
    verbs: set[str] = field(default_factory=set)
    subresources: dict[str, tuple[str, set[str]]] = field(default_factory=dict)


@cache
def document() -> dict:
    return json.loads(gzip.decompress(FILE.read_bytes()))


def definitions() -> dict:
    return document()["definitions"]


def split_path(path: str) -> tuple[str, str, list[str]] | None:
    """(group, version, the rest) of an API path."""
    parts = path.strip("/").split("/")
    if parts[:2] == ["api", "v1"]:
        return "", "v1", parts[2:]
    if len(parts) >= 3 and parts[0] == "apis":
        return parts[1], parts[2], parts[3:]
    return None


def served(group: str, version: str, kind: str = "") -> bool:
    return (
        bool(_GA.match(version))
        and (group, version) not in NOT_SERVED
        and (group, version, kind) not in NOT_SERVED
    )


@cache
def resources() -> tuple[ResourceEntry, ...]:
    """Every resource of the served group versions, in the document's order."""
    found: dict[tuple[str, str, str], ResourceEntry] = {}
    for path, item in document()["paths"].items():
        split = split_path(path)
        if split is None:
            continue
        group, version, rest = split
        if not served(group, version) or not rest or rest[0] == "watch":
            continue
        namespaced = rest[:2] == ["namespaces", "{namespace}"] and len(rest) > 2
        if namespaced:
            rest = rest[2:]
        if len(rest) > 3 or (len(rest) > 1 and rest[1] != "{name}") or "{path}" in rest:
            continue
        entry = found.setdefault((group, version, rest[0]), ResourceEntry(group, version, rest[0]))
        entry.namespaced = entry.namespaced or namespaced
        for op in item.values():
            if not isinstance(op, dict) or "x-kubernetes-action" not in op:
                continue
            verb = ACTION_VERBS.get(op["x-kubernetes-action"])
            gvk = op.get("x-kubernetes-group-version-kind") or {}
            if verb is None:
                continue
            if len(rest) == 3:
                kind, verbs = entry.subresources.get(rest[2], (gvk.get("kind", ""), set()))
                verbs.add(verb)
                entry.subresources[rest[2]] = (kind, verbs)
            else:
                entry.verbs.add(verb)
                if gvk.get("kind") and (not entry.kind or verb in ("get", "create")):
                    entry.kind = gvk["kind"]
    for entry in found.values():
        if "list" in entry.verbs:
            entry.verbs.add("watch")  # the document lists watches under /watch/, deprecated
    return tuple(
        e for e in found.values() if e.verbs and e.kind and served(e.group, e.version, e.kind)
    )


@cache
def _kinds() -> dict[tuple[str, str, str], str]:
    out = {}
    for name, schema in definitions().items():
        for gvk in schema.get("x-kubernetes-group-version-kind") or []:
            out.setdefault((gvk["group"], gvk["version"], gvk["kind"]), name)
    return out


def definition_for(group: str, version: str, kind: str) -> str | None:
    """The definition name of a kind (`io.k8s.api.apps.v1.Deployment`), or None."""
    return _kinds().get((group, version, kind))


# -- where quantities are ------------------------------------------------------------------
#
# A tree with only the branches that lead to quantities: "Q" is a quantity, "RL" a map of
# quantities (a ResourceList, rounded up to milli precision on write), {"[]": t} a list whose
# items are t, {"{}": t} a map whose values are t, else a map of property -> tree.


def _tree_of(schema: dict, stack: frozenset):
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return "Q" if name == QUANTITY else _object_tree(name, stack)
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        sub = _tree_of(schema["items"], stack)
        return {"[]": sub} if sub else None
    if isinstance(schema.get("additionalProperties"), dict):
        sub = _tree_of(schema["additionalProperties"], stack)
        if sub == "Q":
            return "RL"
        return {"{}": sub} if sub else None
    return None


_trees: dict[str, object] = {}


def _object_tree(name: str, stack: frozenset = frozenset()):
    if name in _trees:
        return _trees[name]
    if name in stack:
        return None  # a recursive schema (JSONSchemaProps) holds no quantities
    stack = stack | {name}
    props = definitions().get(name, {}).get("properties") or {}
    tree = {k: t for k, p in props.items() if (t := _tree_of(p, stack))} or None
    _trees[name] = tree
    return tree


def quantity_fields(group: str, version: str, kind: str):
    name = definition_for(group, version, kind)
    return _object_tree(name) if name else None
