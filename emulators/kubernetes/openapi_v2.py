"""`/openapi/v2`: the OpenAPI 2 document, as JSON or as the protobuf kubectl asks for.

kubectl reads the v3 documents (`openapi.py`); it falls back to v2 — always as protobuf
(gnostic's `openapi_v2.Document`) — only to decide whether the server takes
`fieldValidation` for a kind the v3 documents lack (an unknown kind, before it reports
`no matches for kind`). So the protobuf answer holds, for every served kind, its PATCH
operation: the `x-kubernetes-group-version-kind` extension and the query parameters (that
is what kubectl reads); it holds no schemas, so kubectl's client-side validation finds no
model for a kind and leaves validation to the server, which it does anyway. The JSON
answer is the served part of swagger.json.
"""

from __future__ import annotations

from functools import cache

from . import swagger
from .resources import ResourceType

PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"  # what clients ask
PROTOBUF_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"  # what is sent
_QUERY_PARAMETERS = ("dryRun", "fieldManager", "fieldValidation", "force")


def wants_protobuf(accept: str) -> bool:
    return PROTOBUF in accept or PROTOBUF_TYPE in accept


# -- protobuf wire format, as much as the document needs ---------------------------------------


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes | str) -> bytes:
    """A length-delimited field (string or message)."""
    data = payload.encode() if isinstance(payload, str) else payload
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _named_any(name: str, yaml_text: str) -> bytes:
    return _field(1, name) + _field(2, _field(2, yaml_text))  # NamedAny{name, Any{yaml}}


def _query_parameter(name: str) -> bytes:
    # QueryParameterSubSchema{in=2, name=4, type=6} in NonBodyParameter{query=3}
    sub = _field(2, "query") + _field(4, name) + _field(6, "string")
    return _field(1, _field(2, _field(3, sub)))  # ParametersItem{Parameter{NonBodyParameter}}


def _patch_operation(rt: ResourceType) -> bytes:
    gvk = f"group: {rt.group!r}\nkind: {rt.kind}\nversion: {rt.version}\n"
    op = _field(5, f"patch{rt.kind}")
    op += _field(7, "application/apply-patch+yaml")
    for name in _QUERY_PARAMETERS:
        op += _field(8, _query_parameter(name))
    op += _field(13, _named_any("x-kubernetes-action", "patch\n"))
    op += _field(13, _named_any("x-kubernetes-group-version-kind", gvk))
    return op


def _path(rt: ResourceType) -> str:
    base = f"/apis/{rt.group}/{rt.version}" if rt.group else "/api/v1"
    namespace = "/namespaces/{namespace}" if rt.namespaced else ""
    return f"{base}{namespace}/{rt.plural}/{{name}}"


def protobuf(types: list[ResourceType]) -> bytes:
    """Document{swagger, info, paths: one PathItem{patch} per kind that can be patched}."""
    doc = _field(1, "2.0") + _field(2, _field(1, "Kubernetes") + _field(2, "v1.31.4"))
    paths = b""
    for rt in types:
        if "patch" in rt.verbs:
            item = _field(8, _patch_operation(rt))  # PathItem{patch}
            paths += _field(2, _field(1, _path(rt)) + _field(2, item))  # NamedPathItem
    return doc + _field(8, paths)


# -- JSON ----------------------------------------------------------------------------------------


@cache
def _builtin_json(plurals: frozenset) -> dict:
    doc = swagger.document()
    paths = {}
    for path, item in doc["paths"].items():
        split = swagger.split_path(path)
        if split is None:
            paths[path] = item  # /version, /apis/<group>/ discovery, …
            continue
        group, version, rest = split
        if rest[:1] == ["watch"]:
            rest = rest[1:]
        if rest[:2] == ["namespaces", "{namespace}"] and len(rest) > 2:
            rest = rest[2:]
        if not rest or (group, version, rest[0]) in plurals:
            paths[path] = item
    return {**doc, "paths": paths}


def json_document(types: list[ResourceType]) -> dict:
    return _builtin_json(frozenset((t.group, t.version, t.plural) for t in types if t.builtin))
