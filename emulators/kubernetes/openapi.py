"""The OpenAPI v3 documents: `/openapi/v3` (the index) and `/openapi/v3/<group-version>`.

kubectl reads them to find out whether the server takes `fieldValidation` (the PATCH
operation of a kind lists it), for `kubectl explain`, and for client-side validation; it
asks `/openapi/v2` only as protobuf, so these JSON documents are what it uses. Built-in
group versions are converted from swagger.json (OpenAPI 2: `#/definitions/` references
become `#/components/schemas/`, body parameters become request bodies, responses get
content types) with only the schemas their paths reach; a CRD's group version is made
from its `openAPIV3Schema`, with the same operations and parameters a real server lists.
The index's `?hash=` changes when a document does, as clients cache by it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from functools import cache

from . import swagger
from .resources import ResourceType

_REF = re.compile(r'"#/definitions/([^"]+)"')
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"
STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status"
DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"
SECURITY = {"BearerToken": {"type": "apiKey", "name": "authorization", "in": "header"}}


def gv_path(rt: ResourceType) -> str:
    return f"apis/{rt.group}/{rt.version}" if rt.group else "api/v1"


def _refs(value) -> set[str]:
    return set(_REF.findall(json.dumps(value)))


def _closure(names: set[str]) -> dict:
    definitions = swagger.definitions()
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen or name not in definitions:
            continue
        seen.add(name)
        todo += _refs(definitions[name]) - seen
    return {name: definitions[name] for name in sorted(seen)}


def _v3(value):
    """OpenAPI 2 references as OpenAPI 3 ones."""
    return json.loads(_REF.sub(r'"#/components/schemas/\1"', json.dumps(value)))


def _parameter(param: dict) -> dict | None:
    param = (
        swagger.document()["parameters"].get(param["$ref"].rsplit("/", 1)[-1])
        if "$ref" in param
        else param
    )
    if param is None or param.get("in") == "body":
        return None
    schema = {
        k: param[k] for k in ("type", "format", "uniqueItems", "items", "default") if k in param
    }
    out = {"name": param["name"], "in": param["in"], "schema": schema}
    for key in ("description", "required"):
        if key in param:
            out[key] = param[key]
    return out


def _body(params: list[dict], consumes: list[str]) -> dict | None:
    for param in params:
        if "$ref" in param:
            param = swagger.document()["parameters"].get(param["$ref"].rsplit("/", 1)[-1], {})
        if param.get("in") == "body":
            return {
                "content": {mt: {"schema": param["schema"]} for mt in consumes or ["*/*"]},
                "required": bool(param.get("required", True)),
            }
    return None


def _operation(op: dict) -> dict:
    out = {
        k: v
        for k, v in op.items()
        if k in ("description", "operationId", "tags") or k.startswith("x-")
    }
    params = op.get("parameters") or []
    converted = [p for p in map(_parameter, params) if p]
    if converted:
        out["parameters"] = converted
    body = _body(params, op.get("consumes") or [])
    if body:
        out["requestBody"] = body
    responses = {}
    for code, response in (op.get("responses") or {}).items():
        entry = {"description": response.get("description", "")}
        if "schema" in response:
            entry["content"] = {
                mt: {"schema": response["schema"]}
                for mt in op.get("produces") or ["application/json"]
            }
        responses[code] = entry
    out["responses"] = responses
    return out


def _path_item(item: dict) -> dict:
    out = {}
    for method, op in item.items():
        if method == "parameters":
            out["parameters"] = [p for p in map(_parameter, op) if p]
        elif isinstance(op, dict):
            out[method] = _operation(op)
    return out


def _document(paths: dict, schemas: dict) -> dict:
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.31.4"},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": SECURITY},
    }


@cache
def _builtin(path: str, plurals: frozenset) -> dict:
    prefix = "/" + path + "/"
    paths = {}
    for p, item in swagger.document()["paths"].items():
        if not p.startswith(prefix):
            continue
        rest = p[len(prefix) :].split("/")
        if rest[0] == "watch":
            rest = rest[1:]
        if rest[:2] == ["namespaces", "{namespace}"] and len(rest) > 2:
            rest = rest[2:]
        if rest and rest[0] in plurals:
            paths[p] = _path_item(item)
    return _document(_v3(paths), _v3(_closure(_refs(paths))))


# -- custom resources --------------------------------------------------------------------------


def _schema_name(rt: ResourceType) -> str:
    return ".".join([*reversed(rt.group.split(".")), rt.version, rt.kind])


def _query(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "description": description, "schema": {"type": "string"}}


_DRY_RUN = _query("dryRun", "When present, indicates that modifications should not be persisted.")
_MANAGER = _query(
    "fieldManager", "a name associated with the actor or entity that is making these changes."
)
_VALIDATION = _query(
    "fieldValidation",
    "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields.",
)
_FORCE = {"name": "force", "in": "query", "schema": {"type": "boolean"}}


def _custom(rt: ResourceType, schema: dict) -> tuple[dict, dict]:
    name = _schema_name(rt)
    ref = {"$ref": f"#/components/schemas/{name}"}
    list_ref = {"$ref": f"#/components/schemas/{name}List"}
    status_ref = {"$ref": f"#/components/schemas/{STATUS}"}
    gvk = {"group": rt.group, "version": rt.version, "kind": rt.kind}
    object_schema = copy.deepcopy(schema) or {"type": "object"}
    object_schema.setdefault("properties", {})
    object_schema["properties"].update(
        apiVersion={"type": "string"},
        kind={"type": "string"},
        metadata={"$ref": f"#/components/schemas/{OBJECT_META}"},
    )
    object_schema["x-kubernetes-group-version-kind"] = [gvk]
    list_schema = {
        "type": "object",
        "required": ["items"],
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"$ref": f"#/components/schemas/{LIST_META}"},
            "items": {"type": "array", "items": ref},
        },
        "x-kubernetes-group-version-kind": [{**gvk, "kind": rt.kind + "List"}],
    }

    def op(action: str, verb_id: str, response, params=(), body=None) -> dict:
        out = {
            "operationId": f"{verb_id}{rt.kind}",
            "x-kubernetes-action": action,
            "x-kubernetes-group-version-kind": gvk,
            "parameters": list(params),
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": response}}}
            },
        }
        if body is not None:
            out["requestBody"] = {
                "content": {"application/json": {"schema": body}},
                "required": True,
            }
        return out

    base = (
        f"/apis/{rt.group}/{rt.version}"
        + ("/namespaces/{namespace}" if rt.namespaced else "")
        + f"/{rt.plural}"
    )
    namespace = (
        [{"name": "namespace", "in": "path", "required": True, "schema": {"type": "string"}}]
        if rt.namespaced
        else []
    )
    name_param = [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}]
    paths = {
        base: {
            "parameters": namespace,
            "get": op("list", "list", list_ref),
            "post": op("post", "create", ref, (_DRY_RUN, _MANAGER, _VALIDATION), ref),
            "delete": op("deletecollection", "deleteCollection", status_ref, (_DRY_RUN,)),
        },
        base + "/{name}": {
            "parameters": namespace + name_param,
            "get": op("get", "read", ref),
            "put": op("put", "replace", ref, (_DRY_RUN, _MANAGER, _VALIDATION), ref),
            "patch": op(
                "patch", "patch", ref, (_DRY_RUN, _MANAGER, _VALIDATION, _FORCE), {"type": "object"}
            ),
            "delete": op("delete", "delete", status_ref, (_DRY_RUN,)),
        },
    }
    schemas = {name: object_schema, name + "List": list_schema}
    return paths, schemas


# -- the documents -----------------------------------------------------------------------------


def documents(types: list[ResourceType], crd_schema) -> dict[str, tuple[dict, str]]:
    """Every group version's document and its digest; `crd_schema(rt)` is a custom
    resource's openAPIV3Schema."""
    by_path: dict[str, list[ResourceType]] = {}
    for rt in types:
        by_path.setdefault(gv_path(rt), []).append(rt)
    out = {}
    for path, group_types in by_path.items():
        builtin = [t for t in group_types if t.builtin]
        if builtin:
            plurals = frozenset(t.plural for t in builtin)
            out[path] = (_builtin(path, plurals), _builtin_digest(path, plurals))
            continue
        paths, schemas = {}, {}
        for rt in group_types:
            p, s = _custom(rt, crd_schema(rt))
            paths.update(p)
            schemas.update(s)
        schemas.update(_v3(_closure({OBJECT_META, LIST_META, STATUS, DELETE_OPTIONS})))
        doc = _document(paths, schemas)
        out[path] = (doc, digest(doc))
    return out


def digest(doc: dict) -> str:
    return hashlib.sha512(json.dumps(doc, sort_keys=True).encode()).hexdigest().upper()


@cache
def _builtin_digest(path: str, plurals: frozenset) -> str:
    return digest(_builtin(path, plurals))


def index(docs: dict[str, tuple[dict, str]]) -> dict:
    return {
        "paths": {
            path: {"serverRelativeURL": f"/openapi/v3/{path}?hash={h}"}
            for path, (_, h) in sorted(docs.items())
        }
    }
