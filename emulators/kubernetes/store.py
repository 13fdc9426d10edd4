"""The emulator's objects in memory, and the verbs on them.

Every verb returns the object as the API server would (with `metadata.managedFields`) or
raises `ApiError`, which the HTTP layer turns into a `kind: Status` body. One re-entrant lock
guards everything; the HTTP threads and the controller thread both take it.
"""

from __future__ import annotations

import copy
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from . import ssa
from .resources import Registry, ResourceType
from .selectors import field_matcher, label_matcher

SYSTEM_METADATA = (
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "selfLink",
)
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ApiError(Exception):
    """An API failure; `status()` is the `kind: Status` body the server answers with."""

    def __init__(self, code: int, reason: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details

    def status(self) -> dict:
        body = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }
        if self.details is not None:
            body["details"] = self.details
        return body


def not_found(rt: ResourceType, name: str) -> ApiError:
    return ApiError(
        404,
        "NotFound",
        f'{rt.qualified} "{name}" not found',
        {"name": name, "group": rt.group, "kind": rt.plural},
    )


def namespace_not_found(namespace: str) -> ApiError:
    return ApiError(
        404,
        "NotFound",
        f'namespaces "{namespace}" not found',
        {"name": namespace, "kind": "namespaces"},
    )


def invalid(rt: ResourceType, name: str, causes: list[tuple[str, str]]) -> ApiError:
    text = ", ".join(f"{f}: {m}" for f, m in causes)
    return ApiError(
        422,
        "Invalid",
        f'{rt.qualified_kind} "{name}" is invalid: {text}',
        {
            "name": name,
            "group": rt.group,
            "kind": rt.kind,
            "causes": [
                {"reason": "FieldValueInvalid", "message": m, "field": f} for f, m in causes
            ],
        },
    )


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


@dataclass
class Record:
    rt: ResourceType
    obj: dict
    managers: dict = field(default_factory=dict)
    sim: dict = field(default_factory=dict)  # the simulated controller's notes

    @property
    def key(self) -> tuple:
        meta = self.obj["metadata"]
        return (*self.rt.storage_key, meta.get("namespace", ""), meta["name"])


class Store:
    def __init__(self, registry: Registry):
        self.registry = registry
        self.lock = threading.RLock()
        self.records: dict[tuple, Record] = {}
        self.resource_version = 1000

    def reset(self) -> None:
        with self.lock:
            self.records.clear()

    # -- reading ---------------------------------------------------------------------------

    def render(self, rec: Record, rt: ResourceType | None = None) -> dict:
        """The object as served: apiVersion of the version asked for, managedFields included."""
        rt = rt or rec.rt
        out = copy.deepcopy(rec.obj)
        out["apiVersion"], out["kind"] = rt.api_version, rt.kind
        out = {"apiVersion": out.pop("apiVersion"), "kind": out.pop("kind"), **out}
        if rec.managers:
            out["metadata"]["managedFields"] = [e.managed_field() for e in rec.managers.values()]
        return out

    def find(self, rt: ResourceType, namespace: str | None, name: str) -> Record | None:
        namespace = (namespace or "") if rt.namespaced else ""
        return self.records.get((*rt.storage_key, namespace, name))

    def get(self, rt: ResourceType, namespace: str | None, name: str) -> dict:
        with self.lock:
            rec = self.find(rt, namespace, name)
            if rec is None:
                raise not_found(rt, name)
            return self.render(rec, rt)

    def select(
        self, rt: ResourceType, namespace=None, label_selector=None, field_selector=None
    ) -> list[Record]:
        try:
            labels, fields = label_matcher(label_selector), field_matcher(field_selector)
        except ValueError as e:
            raise bad_request(str(e)) from None
        with self.lock:
            found = [
                rec
                for key, rec in self.records.items()
                if key[:2] == rt.storage_key
                and (namespace is None or key[2] == namespace)
                and labels(rec.obj)
                and fields(rec.obj)
            ]
        return sorted(found, key=lambda r: r.key)

    def list(
        self, rt: ResourceType, namespace=None, label_selector=None, field_selector=None
    ) -> dict:
        with self.lock:
            items = []
            for rec in self.select(rt, namespace, label_selector, field_selector):
                item = self.render(rec, rt)
                if rt.builtin:  # built-in lists carry kind and apiVersion on the list only
                    item.pop("apiVersion")
                    item.pop("kind")
                items.append(item)
            return {
                "kind": f"{rt.kind}List",
                "apiVersion": rt.api_version,
                "metadata": {"resourceVersion": str(self.resource_version)},
                "items": items,
            }

    # -- writing ---------------------------------------------------------------------------

    def _next_version(self) -> str:
        self.resource_version += 1
        return str(self.resource_version)

    def _check_body(self, rt: ResourceType, namespace: str | None, name: str | None, body) -> dict:
        if not isinstance(body, dict):
            raise bad_request("the body of the request was in an unknown format")
        body = copy.deepcopy(body)
        meta = body.setdefault("metadata", {}) or {}
        body["metadata"] = meta
        if body.get("apiVersion", rt.api_version) != rt.api_version:
            raise bad_request(
                f"the API version in the data ({body['apiVersion']}) does not match the expected API version ({rt.api_version})"
            )
        if body.get("kind", rt.kind) != rt.kind:
            raise bad_request(
                f"the kind in the data ({body['kind']}) does not match the expected kind ({rt.kind})"
            )
        if name is not None and meta.get("name", name) != name:
            raise bad_request("the name of the object does not match the name on the URL")
        if name is not None:
            meta["name"] = name
        if rt.namespaced:
            if meta.get("namespace", namespace) != namespace:
                raise bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request"
                )
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
        if not meta.get("name"):
            raise invalid(
                rt, "", [("metadata.name", "Required value: name or generateName is required")]
            )
        if not _DNS_SUBDOMAIN.match(meta["name"]) or len(meta["name"]) > 253:
            raise invalid(
                rt,
                meta["name"],
                [
                    (
                        "metadata.name",
                        f'Invalid value: "{meta["name"]}": a lowercase RFC 1123 subdomain must consist of lower case '
                        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                    )
                ],
            )
        _validate(rt, body)
        body["apiVersion"], body["kind"] = rt.api_version, rt.kind
        return body

    def _require_namespace(self, rt: ResourceType, namespace: str | None) -> None:
        if not rt.namespaced:
            return
        ns_type = self.registry.lookup("", "v1", "namespaces")
        ns = self.find(ns_type, None, namespace or "")
        if ns is None:
            raise namespace_not_found(namespace or "")
        if ns.obj["metadata"].get("deletionTimestamp"):
            raise ApiError(
                403,
                "Forbidden",
                f"{rt.qualified} is forbidden: unable to create new content in namespace {namespace} "
                "because it is being terminated",
            )

    def _store_new(self, rt: ResourceType, obj: dict, managers: dict) -> Record:
        meta = obj["metadata"]
        for key in SYSTEM_METADATA:
            meta.pop(key, None)
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = now_iso()
        meta["generation"] = 1
        meta["resourceVersion"] = self._next_version()
        obj.pop("status", None)
        _defaults(rt, obj)
        rec = Record(rt, obj, managers)
        self.records[rec.key] = rec
        return rec

    def _store_changed(self, rec: Record, new: dict, managers_before: dict | None = None) -> bool:
        """Replace rec.obj with `new` when anything changed; bumps resourceVersion and generation."""
        old = rec.obj
        meta = new["metadata"]
        for key in SYSTEM_METADATA:
            if key in old["metadata"]:
                meta[key] = old["metadata"][key]
            else:
                meta.pop(key, None)
        _defaults(rec.rt, new)
        if new == old and managers_before == _snapshot(rec.managers):
            return False
        if _spec(new) != _spec(old):
            meta["generation"] = old["metadata"].get("generation", 1) + 1
        meta["resourceVersion"] = self._next_version()
        rec.obj = new
        if meta.get("deletionTimestamp") and not meta.get("finalizers"):
            self._remove(rec)
        return True

    def create(self, rt: ResourceType, namespace: str | None, body, manager: str) -> dict:
        with self.lock:
            obj = self._check_body(rt, namespace, None, body)
            self._require_namespace(rt, namespace)
            if self.find(rt, namespace, obj["metadata"]["name"]):
                name = obj["metadata"]["name"]
                raise ApiError(
                    409,
                    "AlreadyExists",
                    f'{rt.qualified} "{name}" already exists',
                    {"name": name, "group": rt.group, "kind": rt.plural},
                )
            managers: dict = {}
            obj.pop("status", None)
            ssa.record_update(None, obj, managers, manager, rt.api_version, now_iso())
            rec = self._store_new(rt, obj, managers)
            return self.render(rec, rt)

    def _existing(self, rt, namespace, name) -> Record:
        rec = self.find(rt, namespace, name)
        if rec is None:
            raise not_found(rt, name)
        return rec

    def _precondition(self, rec: Record, body: dict) -> None:
        wanted = (body.get("metadata") or {}).get("resourceVersion")
        if wanted and wanted != rec.obj["metadata"]["resourceVersion"]:
            name = rec.obj["metadata"]["name"]
            raise ApiError(
                409,
                "Conflict",
                f'Operation cannot be fulfilled on {rec.rt.qualified} "{name}": the object has been modified; '
                "please apply your changes to the latest version and try again",
                {"name": name, "group": rec.rt.group, "kind": rec.rt.plural},
            )

    def replace(
        self, rt, namespace, name, body, manager: str, subresource: str | None = None
    ) -> dict:
        with self.lock:
            rec = self._existing(rt, namespace, name)
            obj = self._check_body(rt, namespace, name, body)
            self._precondition(rec, obj)
            if subresource == "status":
                new = copy.deepcopy(rec.obj)
                new["status"] = obj.get("status", {})
            else:
                new = obj
                if "status" in rec.obj:
                    new["status"] = copy.deepcopy(rec.obj["status"])
                else:
                    new.pop("status", None)
                before = _snapshot(rec.managers)
                ssa.record_update(rec.obj, new, rec.managers, manager, rt.api_version, now_iso())
                self._store_changed(rec, new, before)
                return self.render(rec, rt)
            self._store_changed(rec, new, _snapshot(rec.managers))
            return self.render(rec, rt)

    def merge_patch(
        self, rt, namespace, name, patch, manager: str, subresource: str | None = None
    ) -> dict:
        with self.lock:
            rec = self._existing(rt, namespace, name)
            if not isinstance(patch, dict):
                raise bad_request("the body of the request was in an unknown format")
            self._precondition(rec, patch)
            patch = copy.deepcopy(patch)
            for key in SYSTEM_METADATA:
                (patch.get("metadata") or {}).pop(key, None)
            if subresource == "status":
                new = copy.deepcopy(rec.obj)
                new["status"] = ssa.merge_patch(rec.obj.get("status"), patch.get("status") or {})
                self._store_changed(rec, new, _snapshot(rec.managers))
                return self.render(rec, rt)
            patch.pop("status", None)
            new = ssa.merge_patch(rec.obj, patch)
            new = self._check_body(rt, namespace, name, new)
            before = _snapshot(rec.managers)
            ssa.record_update(rec.obj, new, rec.managers, manager, rt.api_version, now_iso())
            self._store_changed(rec, new, before)
            return self.render(rec, rt)

    def apply(self, rt, namespace, name, body, manager: str | None, force: bool) -> dict:
        with self.lock:
            if not manager:
                raise ApiError(
                    422,
                    "Invalid",
                    'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
                )
            obj = self._check_body(rt, namespace, name, body)
            if obj["metadata"].get("managedFields"):
                raise bad_request("metadata.managedFields must be nil")
            rec = self.find(rt, namespace, name)
            if rec is None:
                self._require_namespace(rt, namespace)
                managers: dict = {}
                created = ssa.apply(None, obj, managers, manager, force, rt.api_version, now_iso())
                rec = self._store_new(rt, created, managers)
                return self.render(rec, rt)
            self._precondition(rec, obj)
            for key in SYSTEM_METADATA:
                obj["metadata"].pop(key, None)
            before = _snapshot(rec.managers)
            try:
                new = ssa.apply(
                    rec.obj, obj, rec.managers, manager, force, rt.api_version, now_iso()
                )
            except ssa.ApplyConflict as e:
                raise _conflict_error(rt, name, e.conflicts) from None
            self._store_changed(rec, new, before)
            return self.render(rec, rt)

    def delete(self, rt, namespace, name) -> dict:
        with self.lock:
            rec = self._existing(rt, namespace, name)
            meta = rec.obj["metadata"]
            if meta.get("finalizers"):
                if not meta.get("deletionTimestamp"):
                    meta["deletionTimestamp"] = now_iso()
                    meta["resourceVersion"] = self._next_version()
                return self.render(rec, rt)
            self._remove(rec)
            if rt.plural == "namespaces" and not rt.group:
                out = self.render(rec, rt)
                out["metadata"]["deletionTimestamp"] = now_iso()
                out["status"] = {"phase": "Terminating"}
                return out
            return {
                "kind": "Status",
                "apiVersion": "v1",
                "metadata": {},
                "status": "Success",
                "details": {"name": name, "group": rt.group, "kind": rt.plural, "uid": meta["uid"]},
            }

    def delete_collection(self, rt, namespace, label_selector=None, field_selector=None) -> dict:
        with self.lock:
            out = self.list(rt, namespace, label_selector, field_selector)
            for rec in self.select(rt, namespace, label_selector, field_selector):
                self.delete(rt, rec.obj["metadata"].get("namespace"), rec.obj["metadata"]["name"])
            return out

    def _remove(self, rec: Record) -> None:
        """Delete an object and, like the garbage collector and namespace controller, what hangs off it."""
        if self.records.pop(rec.key, None) is None:
            return
        self.resource_version += 1
        uid = rec.obj["metadata"]["uid"]
        if rec.rt.storage_key == ("", "namespaces"):
            doomed = [
                r
                for k, r in self.records.items()
                if r.rt.namespaced and k[2] == rec.obj["metadata"]["name"]
            ]
        elif rec.rt.storage_key == ("apiextensions.k8s.io", "customresourcedefinitions"):
            spec = rec.obj.get("spec", {})
            group, plural = spec.get("group", ""), spec.get("names", {}).get("plural", "")
            self.registry.remove_group_resource(group, plural)
            doomed = [r for k, r in self.records.items() if k[:2] == (group, plural)]
        else:
            doomed = [
                r
                for r in self.records.values()
                if any(o.get("uid") == uid for o in r.obj["metadata"].get("ownerReferences") or [])
            ]
        for dependent in doomed:
            self._remove(dependent)

    # -- the controller's writes -----------------------------------------------------------

    def system_write(self, rec: Record, new: dict) -> bool:
        """A controller's write (status, or a spec it owns): no field ownership recorded."""
        with self.lock:
            if self.records.get(rec.key) is not rec:
                return False
            return self._store_changed(rec, new, _snapshot(rec.managers))

    def system_create(self, rt: ResourceType, obj: dict) -> Record:
        with self.lock:
            status = obj.pop("status", None)
            rec = self._store_new(rt, obj, {})
            if status is not None:
                rec.obj["status"] = status
            return rec


def _snapshot(managers: dict) -> dict:
    return {k: (frozenset(e.paths), e.time) for k, e in managers.items()}


def _spec(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "apiVersion", "kind")}


def _conflict_error(rt: ResourceType, name: str, conflicts: list) -> ApiError:
    by_manager: dict[str, list] = {}
    for manager, path in conflicts:
        by_manager.setdefault(manager, []).append(ssa.format_path(path))
    n = len(conflicts)
    parts = []
    for manager, paths in by_manager.items():
        if len(paths) == 1:
            parts.append(f'conflict with "{manager}" using {rt.api_version}: {paths[0]}')
        else:
            parts.append(
                f'conflicts with "{manager}" using {rt.api_version}:\n'
                + "\n".join(f"- {p}" for p in paths)
            )
    message = f"Apply failed with {n} conflict{'s' if n > 1 else ''}: " + "\n".join(parts)
    causes = [
        {
            "reason": "FieldManagerConflict",
            "message": f'conflict with "{manager}" using {rt.api_version}',
            "field": ssa.format_path(path),
        }
        for manager, path in conflicts
    ]
    return ApiError(
        409,
        "Conflict",
        message,
        {"name": name, "group": rt.group, "kind": rt.plural, "causes": causes},
    )


def _validate(rt: ResourceType, obj: dict) -> None:
    """The few validation rules whose messages an apply is likely to meet."""
    name = obj["metadata"].get("name", "")
    if rt.group == "apps" and rt.kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"):
        spec = obj.get("spec") or {}
        selector = (spec.get("selector") or {}).get("matchLabels")
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        if not spec.get("selector"):
            raise invalid(rt, name, [("spec.selector", "Required value")])
        if selector and any(labels.get(k) != v for k, v in selector.items()):
            raise invalid(
                rt,
                name,
                [
                    (
                        "spec.template.metadata.labels",
                        f"Invalid value: {labels}: `selector` does not match template `labels`",
                    )
                ],
            )
        containers = ((spec.get("template") or {}).get("spec") or {}).get("containers") or []
        if not containers:
            raise invalid(rt, name, [("spec.template.spec.containers", "Required value")])
    if rt.kind == "CustomResourceDefinition":
        spec = obj.get("spec") or {}
        names = spec.get("names") or {}
        expected = f"{names.get('plural')}.{spec.get('group')}"
        if name != expected:
            raise invalid(
                rt,
                name,
                [
                    (
                        "metadata.name",
                        f'Invalid value: "{name}": must be spec.names.plural+"."+spec.group',
                    )
                ],
            )


def _defaults(rt: ResourceType, obj: dict) -> None:
    """What the API server defaults on write, for the fields health rules read."""
    spec = obj.get("spec")
    if (
        rt.group == "apps"
        and rt.kind in ("Deployment", "StatefulSet", "ReplicaSet")
        and isinstance(spec, dict)
    ):
        spec.setdefault("replicas", 1)
    if rt.kind == "Deployment" and isinstance(spec, dict):
        spec.setdefault("progressDeadlineSeconds", 600)
        spec.setdefault(
            "strategy",
            {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
            },
        )
    if rt.kind == "StatefulSet" and isinstance(spec, dict):
        spec.setdefault(
            "updateStrategy", {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
        )
    if rt.kind == "DaemonSet" and isinstance(spec, dict):
        spec.setdefault(
            "updateStrategy",
            {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
        )
    if rt.kind == "Job" and isinstance(spec, dict):
        spec.setdefault("completions", 1)
        spec.setdefault("parallelism", 1)
        spec.setdefault("backoffLimit", 6)
    if rt.kind == "Service" and not rt.group:
        spec = obj.setdefault("spec", {})
        spec.setdefault("type", "ClusterIP")
        if "clusterIP" not in spec:
            n = (
                int(obj["metadata"].get("uid", "0")[:4] or "0", 16)
                if obj["metadata"].get("uid")
                else 0
            )
            spec["clusterIP"] = f"10.96.{(n >> 8) % 256}.{n % 254 + 1}"
        for port in spec.get("ports") or []:
            port.setdefault("protocol", "TCP")
    if rt.kind == "Namespace" and not rt.group:
        obj.setdefault("spec", {"finalizers": ["kubernetes"]})
        obj.setdefault("status", {"phase": "Active"})
        obj["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = obj["metadata"][
            "name"
        ]
