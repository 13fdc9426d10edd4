"""Requests to API paths, answered: discovery, OpenAPI, and the verbs on objects.

`route()` takes an authenticated request and returns a `Reply` (status, body, the verb it
counts as); the HTTP layer (`handler.py`) writes it. Paths, verbs and subresources a real
server does not serve for a resource are answered as it answers them: 404 with `the server
could not find the requested resource`, 405 for a verb the resource lacks.
`?dryRun=All` is honoured by every write; `?watch=1` on a collection is a watch
(`watch.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from . import discovery, openapi, openapi_v2, tables
from .controller import pod_log
from .errors import ApiError, bad_request, method_not_allowed, not_found, not_served
from .resources import ResourceType
from .selectors import selector_string
from .watch import stream

PUBLIC = ("/version", "/healthz", "/livez", "/readyz")
VERSION = {
    "major": "1",
    "minor": "31",
    "gitVersion": "v1.31.4-akua-emulator",
    "gitCommit": "0000000000000000000000000000000000000000",
    "gitTreeState": "clean",
    "buildDate": "2025-01-01T00:00:00Z",
    "goVersion": "go1.23.4",
    "compiler": "gc",
    "platform": "linux/amd64",
}
_VERBS = {("GET", True): "get", ("PUT", True): "update", ("PATCH", True): "patch"}
_VERBS.update({("DELETE", True): "delete", ("DELETE", False): "deletecollection"})
_VERBS.update({("POST", False): "create", ("GET", False): "list"})


@dataclass
class Reply:
    status: int
    body: dict | str | bytes | Iterator[dict]
    verb: str
    content_type: str = "application/json"


def route(em, method: str, path: str, query: dict, raw: bytes, headers: dict, user: str) -> Reply:
    parts = [p for p in path.split("/") if p]
    path = "/" + "/".join(parts)  # `/version/` is `/version`
    if method == "GET":
        reply = _documents(em, path, parts, headers.get("accept", ""))
        if reply is not None:
            return reply
    if parts[:2] == ["api", "v1"]:
        group, version, rest = "", "v1", parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        raise not_served()
    with em.store.lock:
        rt, namespace, name, sub = _resolve(em, group, version, rest)
        return _serve(em, method, rt, namespace, name, sub, query, raw, headers, user)


def _documents(em, path: str, parts: list[str], accept: str) -> Reply | None:
    if path in ("/healthz", "/livez", "/readyz"):
        return Reply(200, "ok", "get", "text/plain")
    if path == "/version":
        return Reply(200, VERSION, "get")
    registry = em.registry
    with em.store.lock:
        if parts in (["api"], ["apis"]) and discovery.wants_aggregated(accept):
            return Reply(
                200, discovery.aggregated(registry, parts == ["api"]), "get", discovery.AGGREGATED
            )
        if parts == ["api"]:
            return Reply(200, discovery.api_versions(f"127.0.0.1:{em.port}"), "get")
        if parts == ["api", "v1"]:
            return Reply(200, discovery.resource_list(registry, "", "v1"), "get")
        if parts == ["apis"]:
            return Reply(200, discovery.api_group_list(registry), "get")
        if len(parts) == 2 and parts[0] == "apis":
            return Reply(
                200, discovery.api_group(registry, parts[1]) or _raise(not_served()), "get"
            )
        if len(parts) == 3 and parts[0] == "apis":
            doc = discovery.resource_list(registry, parts[1], parts[2])
            return Reply(200, doc or _raise(not_served()), "get")
        if parts == ["openapi", "v2"]:
            if openapi_v2.wants_protobuf(accept):
                return Reply(
                    200, openapi_v2.protobuf(registry.types), "get", openapi_v2.PROTOBUF_TYPE
                )
            return Reply(200, openapi_v2.json_document(registry.types), "get")
        if parts[:2] == ["openapi", "v3"]:
            docs = openapi.documents(registry.types, em.crd_schema)
            if len(parts) == 2:
                return Reply(200, openapi.index(docs), "get")
            found = docs.get("/".join(parts[2:]))
            return Reply(200, found[0] if found else _raise(not_served()), "get")
    return None


def _raise(error: Exception):
    raise error


def _resolve(em, group: str, version: str, rest: list[str]):
    if not rest:
        raise not_served()
    registry = em.registry
    if rest[0] == "namespaces" and len(rest) >= 3:
        rt = registry.lookup(group, version, rest[2])
        if rt is not None and rt.namespaced:
            if len(rest) > 5:
                raise not_served()
            return (
                rt,
                rest[1],
                (rest[3] if len(rest) > 3 else None),
                (rest[4] if len(rest) > 4 else None),
            )
    rt = registry.lookup(group, version, rest[0])
    if rt is None or len(rest) > 3:
        raise not_served()
    return rt, None, (rest[1] if len(rest) > 1 else None), (rest[2] if len(rest) > 2 else None)


def _body(raw: bytes, ctype: str):
    if not raw:
        raise bad_request("the body of the request was empty")
    try:
        if "yaml" in ctype:
            return yaml.safe_load(raw)
        return json.loads(raw)
    except (ValueError, yaml.YAMLError) as e:
        raise bad_request(f"the body of the request was in an unknown format: {e}") from None


def _dry_run(query: dict) -> bool:
    value = query.get("dryRun")
    if value in (None, ""):
        return False
    if value != "All":
        raise bad_request(f'dryRun: Unsupported value: "{value}": supported values: "All"')
    return True


def _serve(em, method, rt: ResourceType, namespace, name, sub, query, raw, headers, user) -> Reply:
    store = em.store
    verb = _VERBS.get((method, name is not None))
    allowed = rt.verbs
    if sub is not None:
        subresource = rt.subresource(sub)
        if subresource is None or name is None:
            raise not_served()
        allowed = subresource.verbs
    if verb == "list" and query.get("watch") in ("true", "1"):
        verb = "watch"
    if verb is None or verb not in allowed:
        raise method_not_allowed()
    dry = _dry_run(query)
    manager = query.get("fieldManager") or (headers.get("user-agent") or "unknown").split("/")[0]
    ctype = (headers.get("content-type") or "application/json").split(";")[0].strip()
    labels, fields = query.get("labelSelector"), query.get("fieldSelector")
    if not rt.stored:
        return Reply(201, _review(rt, _body(raw, ctype), user), "create")
    if verb == "watch":
        return Reply(200, stream(store, rt, namespace, query, em.stopping), "watch")
    as_table = tables.wants_table(headers.get("accept", ""))
    if verb == "list":
        listed = store.list(rt, namespace, labels, fields)
        if as_table:
            version = listed["metadata"]["resourceVersion"]
            listed = tables.table(rt, listed["items"], version, em.crd_for(rt))
        return Reply(200, listed, "list")
    if verb == "create":
        return Reply(201, store.create(rt, namespace, _body(raw, ctype), manager, dry), "create")
    if verb == "deletecollection":
        return Reply(200, store.delete_collection(rt, namespace, labels, fields, dry), verb)
    if sub == "log":
        return Reply(200, _log(store, rt, namespace, name, query), "get", "text/plain")
    if sub == "scale":
        return _scale(em, method, rt, namespace, name, raw, ctype, manager, dry)
    if verb == "get":
        obj = store.get(rt, namespace, name)
        if as_table and sub is None:
            obj = tables.table(rt, [obj], obj["metadata"]["resourceVersion"], em.crd_for(rt))
        return Reply(200, obj, "get")
    if verb == "update":
        body = _body(raw, ctype)
        return Reply(200, store.replace(rt, namespace, name, body, manager, sub, dry), "update")
    if verb == "delete":
        return Reply(200, store.delete(rt, namespace, name, dry), "delete")
    body = _body(raw, ctype)
    if ctype == "application/apply-patch+yaml":
        if sub == "status":
            return Reply(
                200, store.merge_patch(rt, namespace, name, body, manager, sub, dry), "apply"
            )
        existed = store.find(rt, namespace, name) is not None
        force = query.get("force") in ("true", "1", "True")
        out = store.apply(rt, namespace, name, body, query.get("fieldManager"), force, dry)
        return Reply(200 if existed else 201, out, "apply")
    if ctype in ("application/merge-patch+json", "application/strategic-merge-patch+json"):
        return Reply(200, store.merge_patch(rt, namespace, name, body, manager, sub, dry), "patch")
    raise ApiError(
        415, "UnsupportedMediaType", f"the body of the request was in an unknown format: {ctype}"
    )


def _scale_of(rt: ResourceType, obj: dict) -> dict:
    meta = obj["metadata"]
    spec = obj.get("spec") or {}
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            k: meta[k]
            for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if k in meta
        },
        "spec": {"replicas": spec.get("replicas", 0)},
        "status": {
            "replicas": (obj.get("status") or {}).get("replicas", 0),
            "selector": selector_string(spec.get("selector")),
        },
    }


def _scale(em, method, rt, namespace, name, raw, ctype, manager, dry) -> Reply:
    """The scale subresource: `spec.replicas` read and written as an autoscaling/v1 Scale."""
    store = em.store
    if store.find(rt, namespace, name) is None:
        raise not_found(rt, name)
    if method == "GET":
        return Reply(200, _scale_of(rt, store.get(rt, namespace, name)), "get")
    body = _body(raw, ctype)
    replicas = ((body or {}).get("spec") or {}).get("replicas")
    if not isinstance(replicas, int):
        if method == "PUT":
            raise bad_request("the body of the request must be a Scale with spec.replicas")
        return Reply(200, _scale_of(rt, store.get(rt, namespace, name)), "patch")
    patch = {"spec": {"replicas": replicas}}
    out = store.merge_patch(rt, namespace, name, patch, manager, None, dry)
    return Reply(200, _scale_of(rt, out), "update" if method == "PUT" else "patch")


def _review(rt: ResourceType, body, user: str) -> dict:
    """A create-only kind (an access review, a token review): answered, not stored. The one
    user is all-powerful."""
    if not isinstance(body, dict):
        raise bad_request("the body of the request was in an unknown format")
    out = {**body, "apiVersion": rt.api_version, "kind": rt.kind}
    out.setdefault("metadata", {})
    if rt.kind.endswith("AccessReview"):
        out["status"] = {"allowed": True}
    elif rt.kind == "SelfSubjectReview":
        out["status"] = {
            "userInfo": {"username": user, "groups": ["system:masters", "system:authenticated"]}
        }
    elif rt.kind == "SelfSubjectRulesReview":
        rule = {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}
        out["status"] = {"resourceRules": [rule], "nonResourceRules": [], "incomplete": False}
    return out


def _log(store, rt: ResourceType, namespace, name, query) -> str:
    rec = store.find(rt, namespace, name)
    if rec is None:
        raise not_found(rt, name)
    containers = [c["name"] for c in rec.obj["spec"].get("containers") or []]
    container = query.get("container")
    if container is None and len(containers) > 1:
        raise bad_request(
            f"a container name must be specified for pod {name}, choose one of: [{' '.join(containers)}]"
        )
    if container is not None and container not in containers:
        raise bad_request(f"container {container} is not valid for pod {name}")
    state = rec.sim.get("state", "running")  # pods nobody's controller made just run
    if state in ("creating", "ImagePullBackOff"):
        reason = (
            "trying and failing to pull image"
            if state == "ImagePullBackOff"
            else "ContainerCreating"
        )
        raise bad_request(
            f'container "{container or containers[0]}" in pod "{name}" is waiting to start: {reason}'
        )
    lines = pod_log(rec.obj, container, state)
    if "tailLines" in query:
        n = int(query["tailLines"])
        lines = lines[-n:] if n > 0 else []
    return "".join(line + "\n" for line in lines)
