"""Server-side apply of one render's objects, Flux-style: results are values.

    change_set = apply_objects(client, objects, ApplyOptions(namespace=…, labels={…}),
                               previous={ref: applied_hash})

- Every object gets the label `app.kubernetes.io/managed-by: akua` and `options.labels`
  (the caller's ownership labels, e.g. `akua.dev/installation: <id>`); a namespaced object
  without a namespace goes to `options.namespace`, which is created when missing (and then
  belongs to the caller's inventory).
- CustomResourceDefinitions and Namespaces go first and are waited for (Established /
  Active), then the rest, in manifest order.
- An object whose live state already has every applied field, applied with the same
  configuration last time, is not sent: `unchanged`.
- Server-side apply with field manager `akua`, force off: a field another manager owns is
  a conflict, reported on that object (`failed`, the API server's message) and not
  overwritten. `force=True` (the "Re-apply" button) takes such fields over.
- A failure of one object does not stop the others; `ChangeSet.ok` says whether all went.
- The cluster not answering stops the apply: `Unreachable` propagates.
"""

from __future__ import annotations

import copy
import hashlib
import json
import time
from dataclasses import dataclass, field

from clusters.client import ApiError, KubeClient, ObjectRef
from clusters.diff import matches

MANAGER = "akua"
MANAGED_BY = "app.kubernetes.io/managed-by"
PRUNE_ANNOTATION = "akua.dev/prune"

CREATED, CONFIGURED, UNCHANGED, DELETED, SKIPPED, FAILED = (
    "created",
    "configured",
    "unchanged",
    "deleted",
    "skipped",
    "failed",
)


@dataclass
class ApplyOptions:
    namespace: str
    labels: dict[str, str] = field(default_factory=dict)  # added to every object
    force: bool = False
    manager: str = MANAGER
    wait_timeout: float = 30.0
    poll_interval: float = 0.1


@dataclass
class Entry:
    """One line of a change set."""

    subject: str
    action: str
    message: str = ""
    ref: ObjectRef | None = None
    applied: dict = field(default_factory=dict)
    applied_hash: str = ""
    prune_disabled: bool = False

    def as_dict(self) -> dict:
        return {"subject": self.subject, "action": self.action, "message": self.message}


@dataclass
class ChangeSet:
    entries: list[Entry] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(e.action != FAILED for e in self.entries)

    @property
    def failed(self) -> list[Entry]:
        return [e for e in self.entries if e.action == FAILED]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.entries:
            out[e.action] = out.get(e.action, 0) + 1
        return out

    def summary(self) -> str:
        return ", ".join(f"{n} {a}" for a, n in sorted(self.counts().items())) or "nothing"


class WaitTimeout(Exception):
    def __init__(self, ref: ObjectRef, condition: str):
        self.ref = ref
        super().__init__(f"{ref.subject} did not become {condition} in time")


def config_hash(obj: dict) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()


def is_prune_disabled(obj: dict) -> bool:
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    return annotations.get(PRUNE_ANNOTATION) == "disabled"


def prepare(obj: dict, options: ApplyOptions, client: KubeClient) -> dict:
    """The configuration Akua applies for `obj`: labels added, namespace defaulted."""
    out = copy.deepcopy(obj)
    meta = out.setdefault("metadata", {})
    labels = meta.setdefault("labels", {}) or {}
    meta["labels"] = labels
    labels[MANAGED_BY] = "akua"
    labels.update(options.labels)
    if client.is_namespaced(out.get("apiVersion", ""), out.get("kind", "")):
        if not meta.get("namespace"):
            meta["namespace"] = options.namespace
    else:
        meta.pop("namespace", None)
    return out


def _first(obj: dict) -> bool:
    return (obj.get("apiVersion"), obj.get("kind")) in (
        ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
        ("v1", "Namespace"),
    )


def namespace_object(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def apply_objects(
    client: KubeClient,
    objects: list[dict],
    options: ApplyOptions,
    previous: dict[ObjectRef, str] | None = None,
) -> ChangeSet:
    """Apply `objects` (manifest order); `previous` maps refs to the hash applied last time."""
    previous = previous or {}
    changes = ChangeSet()
    own_namespace = ObjectRef("v1", "Namespace", "", options.namespace)
    declared = {ObjectRef.of(o) for o in objects}
    first = [o for o in objects if _first(o)]
    rest = [o for o in objects if not _first(o)]
    if options.namespace and own_namespace not in declared:
        # the installation's namespace: created when missing; then it is Akua's to keep
        if own_namespace in previous or client.get(own_namespace) is None:
            first.insert(0, namespace_object(options.namespace))

    applied_first = []
    for obj in first:
        entry = _apply_one(client, obj, options, previous)
        changes.entries.append(entry)
        if entry.action in (CREATED, CONFIGURED, UNCHANGED):
            applied_first.append(entry)
    for entry in applied_first:
        try:
            _wait_ready(client, entry.ref, options)
        except WaitTimeout as e:
            entry.action, entry.message = FAILED, str(e)
    for obj in rest:
        changes.entries.append(_apply_one(client, obj, options, previous))
    return changes


def _apply_one(client: KubeClient, obj: dict, options: ApplyOptions, previous) -> Entry:
    raw_ref = ObjectRef.of(obj)
    try:
        desired = prepare(obj, options, client)
    except ApiError as e:
        return Entry(raw_ref.subject, FAILED, e.message, ref=raw_ref, applied=obj)
    ref = ObjectRef.of(desired)
    entry = Entry(
        ref.subject,
        FAILED,
        ref=ref,
        applied=desired,
        applied_hash=config_hash(desired),
        prune_disabled=is_prune_disabled(desired),
    )
    try:
        live = client.get(ref)
        if (
            live is not None
            and not options.force
            and previous.get(ref) == entry.applied_hash
            and matches(desired, live)
        ):
            entry.action = UNCHANGED
            return entry
        client.apply(desired, manager=options.manager, force=options.force)
    except ApiError as e:
        entry.message = _conflict_words(e) if e.code == 409 else e.message or str(e)
        return entry
    entry.action = CREATED if live is None else CONFIGURED
    return entry


def _conflict_words(e: ApiError) -> str:
    return (
        f"{e.message}. Akua did not overwrite it; change the other manager or re-apply "
        "with force to take the field over."
    )


def _wait_ready(client: KubeClient, ref: ObjectRef, options: ApplyOptions) -> None:
    if ref.kind == "CustomResourceDefinition":
        want, condition = "Established", "established"
    elif ref.kind == "Namespace":
        want, condition = None, "active"
    else:
        return
    deadline = time.monotonic() + options.wait_timeout
    while True:
        live = client.get(ref) or {}
        status = live.get("status") or {}
        if want is None:
            if status.get("phase", "Active") == "Active" and live:
                return
        elif any(
            c.get("type") == want and c.get("status") == "True"
            for c in status.get("conditions") or []
        ):
            return
        if time.monotonic() > deadline:
            raise WaitTimeout(ref, condition)
        time.sleep(options.poll_interval)
