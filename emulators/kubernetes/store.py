"""The emulator's objects in memory, and the verbs on them.

Every verb returns the object as the API server would (with `metadata.managedFields`) or
raises `ApiError`, which the HTTP layer turns into a `kind: Status` body. One re-entrant
lock guards everything; the HTTP threads and the controller thread both take it.

A write goes the way it goes in a real server: the body is decoded (quantities made
canonical, `canonical.py`), defaulted (`defaults.apply`), field ownership is recorded
(`ssa.py`), then server-set fields are added (`defaults.admit`: cluster IPs, a Job's
selector, …), the object is validated and stored, and a watch event is recorded
(`watch.py`). With `dry_run` the same happens but nothing is stored and no event sent:
the answer is what the write would have stored (`?dryRun=All`).

A stored object and its managers are never changed in place (a write replaces them), so
watch events can keep references to them.
"""

from __future__ import annotations

import copy
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from . import defaults, ssa, validation
from .decode import decode
from .errors import (
    ApiError,
    already_exists,
    bad_request,
    conflict_error,
    forbidden,
    modified,
    namespace_not_found,
    not_found,
)
from .resources import Registry, ResourceType
from .selectors import field_matcher, label_matcher
from .watch import Event, EventLog

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


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def _copy_managers(managers: dict) -> dict:
    return {k: copy.copy(e) for k, e in managers.items()}


def _snapshot(managers: dict) -> dict:
    return {k: (frozenset(e.paths), e.time) for k, e in managers.items()}


def _spec(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "apiVersion", "kind")}


def render_obj(obj: dict, managers: dict, rt: ResourceType) -> dict:
    """An object as served: apiVersion of the version asked for, managedFields included."""
    out = copy.deepcopy(obj)
    out.pop("apiVersion", None)
    out.pop("kind", None)
    out = {"apiVersion": rt.api_version, "kind": rt.kind, **out}
    if managers:
        out["metadata"]["managedFields"] = [e.managed_field() for e in managers.values()]
    return out


class Store:
    def __init__(self, registry: Registry):
        self.registry = registry
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.records: dict[tuple, Record] = {}
        self.resource_version = 1000
        self.events = EventLog(self.resource_version)

    def reset(self) -> None:
        with self.lock:
            self.records.clear()
            self.events.reset(self.resource_version)
            self.changed.notify_all()

    # -- reading ---------------------------------------------------------------------------

    render_obj = staticmethod(render_obj)

    def render(self, rec: Record, rt: ResourceType | None = None) -> dict:
        return render_obj(rec.obj, rec.managers, rt or rec.rt)

    def find(self, rt: ResourceType, namespace: str | None, name: str) -> Record | None:
        namespace = (namespace or "") if rt.namespaced else ""
        return self.records.get((*rt.storage_key, namespace, name))

    def get(self, rt: ResourceType, namespace: str | None, name: str) -> dict:
        with self.lock:
            return self.render(self._existing(rt, namespace, name), rt)

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

    def default_storage_class(self) -> str | None:
        sc_type = self.registry.lookup("storage.k8s.io", "v1", "storageclasses")
        for rec in self.select(sc_type):
            annotations = rec.obj["metadata"].get("annotations") or {}
            if annotations.get("storageclass.kubernetes.io/is-default-class") == "true":
                return rec.obj["metadata"]["name"]
        return None

    # -- the write pipeline ----------------------------------------------------------------

    def _next_version(self) -> str:
        self.resource_version += 1
        return str(self.resource_version)

    def _record(self, type_: str, rec: Record, obj: dict | None = None) -> None:
        obj = obj if obj is not None else rec.obj
        event = Event(
            self.resource_version,
            type_,
            rec.rt.storage_key,
            obj["metadata"].get("namespace", ""),
            obj,
            rec.managers,
        )
        self.events.record(event)
        self.changed.notify_all()

    def _require_namespace(self, rt: ResourceType, namespace: str | None) -> None:
        if not rt.namespaced:
            return
        ns_type = self.registry.lookup("", "v1", "namespaces")
        ns = self.find(ns_type, None, namespace or "")
        if ns is None:
            raise namespace_not_found(namespace or "")
        if ns.obj["metadata"].get("deletionTimestamp"):
            raise forbidden(
                f"{rt.qualified} is forbidden: unable to create new content in namespace {namespace} "
                "because it is being terminated"
            )

    def _commit_new(
        self, rt: ResourceType, obj: dict, managers: dict, *, dry: bool, check: bool = True
    ) -> Record:
        meta = obj["metadata"]
        for key in SYSTEM_METADATA:
            meta.pop(key, None)
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = now_iso()
        meta["generation"] = 1
        if rt.subresource("status"):
            obj.pop("status", None)  # status is the controllers' to write
            if rt.builtin:
                obj["status"] = {}  # a built-in kind's status struct is always written
        defaults.apply(rt, obj)
        defaults.admit(rt, obj, None, self.default_storage_class)
        if check:
            validation.validate(rt, obj)
        rec = Record(rt, obj, managers)
        if dry:
            return rec
        meta["resourceVersion"] = self._next_version()
        self.records[rec.key] = rec
        self._record("ADDED", rec)
        return rec

    def _commit(
        self, rec: Record, new: dict, managers: dict, *, dry: bool, check: bool = True
    ) -> Record:
        """Store `new` (and `managers`) for `rec` when anything changed."""
        old = rec.obj
        meta = new["metadata"]
        for key in SYSTEM_METADATA:
            if key in old["metadata"]:
                meta[key] = old["metadata"][key]
            else:
                meta.pop(key, None)
        defaults.apply(rec.rt, new)
        defaults.admit(rec.rt, new, old, self.default_storage_class)
        if check:
            validation.validate(rec.rt, new)
        if new == old and _snapshot(managers) == _snapshot(rec.managers):
            return rec
        if _spec(new) != _spec(old):
            meta["generation"] = old["metadata"].get("generation", 1) + 1
        if dry:
            return Record(rec.rt, new, managers, rec.sim)
        meta["resourceVersion"] = self._next_version()
        rec.obj, rec.managers = new, managers
        if meta.get("deletionTimestamp") and not meta.get("finalizers"):
            self._remove(rec)
        else:
            self._record("MODIFIED", rec)
        return rec

    # -- the verbs -------------------------------------------------------------------------

    def _existing(self, rt, namespace, name) -> Record:
        rec = self.find(rt, namespace, name)
        if rec is None:
            raise not_found(rt, name)
        return rec

    def _precondition(self, rec: Record, body: dict) -> None:
        wanted = (body.get("metadata") or {}).get("resourceVersion")
        if wanted and wanted != rec.obj["metadata"]["resourceVersion"]:
            raise modified(rec.rt, rec.obj["metadata"]["name"])

    def create(
        self, rt: ResourceType, namespace: str | None, body, manager: str, dry: bool = False
    ) -> dict:
        with self.lock:
            obj = decode(rt, namespace, None, body)
            self._require_namespace(rt, namespace)
            if self.find(rt, namespace, obj["metadata"]["name"]):
                raise already_exists(rt, obj["metadata"]["name"])
            defaults.apply(rt, obj)  # a creator owns the defaults
            managers: dict = {}
            ssa.record_update(None, obj, managers, manager, rt.api_version, now_iso())
            return self.render(self._commit_new(rt, obj, managers, dry=dry), rt)

    def replace(self, rt, namespace, name, body, manager: str, subresource=None, dry=False):
        with self.lock:
            rec = self._existing(rt, namespace, name)
            obj = decode(rt, namespace, name, body)
            self._precondition(rec, obj)
            if subresource == "status":
                new = copy.deepcopy(rec.obj)
                new["status"] = obj.get("status", {})
                return self.render(self._commit(rec, new, rec.managers, dry=dry, check=False), rt)
            new = obj
            if "status" in rec.obj:
                new["status"] = copy.deepcopy(rec.obj["status"])
            else:
                new.pop("status", None)
            return self.render(self._update(rec, new, manager, dry), rt)

    def _update(self, rec: Record, new: dict, manager: str, dry: bool) -> Record:
        defaults.apply(rec.rt, new)
        managers = _copy_managers(rec.managers)
        ssa.record_update(rec.obj, new, managers, manager, rec.rt.api_version, now_iso())
        return self._commit(rec, new, managers, dry=dry)

    def merge_patch(self, rt, namespace, name, patch, manager: str, subresource=None, dry=False):
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
                return self.render(self._commit(rec, new, rec.managers, dry=dry, check=False), rt)
            patch.pop("status", None)
            new = decode(rt, namespace, name, ssa.merge_patch(rec.obj, patch))
            return self.render(self._update(rec, new, manager, dry), rt)

    def apply(self, rt, namespace, name, body, manager: str | None, force: bool, dry=False):
        with self.lock:
            if not manager:
                raise ApiError(
                    422,
                    "Invalid",
                    'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
                )
            applied = decode(rt, namespace, name, body)
            if applied["metadata"].get("managedFields"):
                raise bad_request("metadata.managedFields must be nil")
            rec = self.find(rt, namespace, name)
            now = now_iso()
            if rec is None:
                self._require_namespace(rt, namespace)
                managers: dict = {}
                created = ssa.apply(None, applied, managers, manager, force, rt.api_version, now)
                return self.render(self._commit_new(rt, created, managers, dry=dry), rt)
            self._precondition(rec, applied)
            for key in SYSTEM_METADATA:
                applied["metadata"].pop(key, None)
            managers = _copy_managers(rec.managers)
            try:
                new = ssa.apply(rec.obj, applied, managers, manager, force, rt.api_version, now)
            except ssa.ApplyConflict as e:
                raise conflict_error(rt, name, e.conflicts) from None
            return self.render(self._commit(rec, new, managers, dry=dry), rt)

    def delete(self, rt, namespace, name, dry: bool = False) -> dict:
        """Remove the object, or mark it for deletion while finalizers (or, for a Namespace,
        its contents: the namespace controller empties it) hold it."""
        with self.lock:
            rec = self._existing(rt, namespace, name)
            meta = rec.obj["metadata"]
            terminating = rt.storage_key == ("", "namespaces")
            if meta.get("finalizers") or terminating:
                if meta.get("deletionTimestamp"):
                    return self.render(rec, rt)
                new = copy.deepcopy(rec.obj)
                new["metadata"]["deletionTimestamp"] = now_iso()
                new["metadata"]["deletionGracePeriodSeconds"] = 0
                if terminating:
                    new["status"] = {"phase": "Terminating"}
                if dry:
                    return render_obj(new, rec.managers, rt)
                new["metadata"]["resourceVersion"] = self._next_version()
                rec.obj = new
                self._record("MODIFIED", rec)
                return self.render(rec, rt)
            if not dry:
                self._remove(rec)
            return {
                "kind": "Status",
                "apiVersion": "v1",
                "metadata": {},
                "status": "Success",
                "details": {"name": name, "group": rt.group, "kind": rt.plural, "uid": meta["uid"]},
            }

    def delete_collection(
        self, rt, namespace, label_selector=None, field_selector=None, dry: bool = False
    ) -> dict:
        with self.lock:
            out = self.list(rt, namespace, label_selector, field_selector)
            for rec in self.select(rt, namespace, label_selector, field_selector):
                meta = rec.obj["metadata"]
                self.delete(rt, meta.get("namespace"), meta["name"], dry)
            return out

    def remove(self, rec: Record) -> None:
        """A controller's removal of an object (a finished deletion), with what hangs off it."""
        with self.lock:
            self._remove(rec)

    def _remove(self, rec: Record) -> None:
        """Delete an object and, like the garbage collector and namespace controller, what hangs off it."""
        if self.records.pop(rec.key, None) is None:
            return
        gone = {
            **rec.obj,
            "metadata": {**rec.obj["metadata"], "resourceVersion": self._next_version()},
        }
        self._record("DELETED", rec, gone)
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

    def system_write(self, rec: Record, new: dict, managers: dict | None = None) -> bool:
        """A controller's write (status, or a spec it owns); field ownership as `managers`
        says (unchanged by default)."""
        with self.lock:
            if self.records.get(rec.key) is not rec:
                return False
            before = rec.obj["metadata"].get("resourceVersion")
            managers = rec.managers if managers is None else managers
            self._commit(rec, new, managers, dry=False, check=False)
            return rec.obj["metadata"].get("resourceVersion") != before

    def system_create(self, rt: ResourceType, obj: dict) -> Record:
        """A controller's (or the cluster's own) object, its status as given."""
        with self.lock:
            status = obj.pop("status", None)
            meta = obj.setdefault("metadata", {})
            meta.update(uid=str(uuid.uuid4()), creationTimestamp=now_iso(), generation=1)
            defaults.apply(rt, obj)
            defaults.admit(rt, obj, None, self.default_storage_class)
            if status is not None:
                obj["status"] = status
            meta["resourceVersion"] = self._next_version()
            rec = Record(rt, obj, {})
            self.records[rec.key] = rec
            self._record("ADDED", rec)
            return rec
