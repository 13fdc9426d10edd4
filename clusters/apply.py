"""Server-side apply of one render's objects, Flux-style: results are values.

    change_set = apply_objects(client, objects, ApplyOptions(namespace=…, owner=…),
                               previous={ref: applied_hash})

- Every object gets the label `app.kubernetes.io/managed-by: akua` and `options.labels`;
  with an `owner` (an installation), also its tracking id and owner label
  (clusters.ownership) and the owner's own field manager. A namespaced object without a
  namespace goes to `options.namespace` (discovery says which kinds are namespaced); one
  that names its namespace keeps it.
- `options.namespace` is created when missing (labelled managed-by akua, not tracked: several
  installations may share it) and reported as `namespace` ownership; one that exists is
  never touched.
- Before each object is applied, its live state is read and `clusters.ownership.claim`
  decides: another owner's object is a conflict naming that owner; one that existed
  before is left alone and reported (`skipped`, ownership `existing`) unless a person
  adopted it; a chart's CRD (`akua.dev/helm-crd`) is created when absent, never changed.
- CustomResourceDefinitions and Namespaces go first and are waited for (Established /
  Active), then the rest in Helm's install order of kinds (`install_rank`: ServiceAccounts,
  Secrets and RBAC before the workloads that use them; kinds Helm does not list, such as
  webhook configurations and custom resources, last), manifest order within a kind.
- An object whose live state already has every applied field, applied with the same
  configuration last time, is not sent: `unchanged`; an apply the server did not change
  (its resourceVersion stayed) is `unchanged` too.
- Server-side apply, force off: a field another manager owns is a conflict, reported on
  that object (`failed`, the API server's message) and not overwritten. `force=True` (the
  "Re-apply" button) takes such fields over.
- A failure of one object does not stop the others; `ChangeSet.ok` says whether all went.
- The cluster not answering stops the apply: `Unreachable` propagates.

Helm hooks are not applied here: `clusters.hooks` splits them off and runs them in Helm's
order around this apply.
"""

from __future__ import annotations

import copy
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from clusters import ownership
from clusters.client import ApiError, KubeClient, ObjectRef
from clusters.diff import matches
from clusters.ownership import MANAGED_BY, OWNER_LABEL, TRACKING_ANNOTATION

MANAGER = ownership.LEGACY_MANAGER
PRUNE_ANNOTATION = "akua.dev/prune"
HELM_KEEP_ANNOTATION = "helm.sh/resource-policy"

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
    manager: str = ""  # default: the owner's (clusters.ownership.manager_for)
    owner: str = ""  # whose objects these are ("": no ownership checks)
    adopt: frozenset = frozenset()  # refs a person chose to adopt
    known: frozenset = frozenset()  # refs in the owner's inventory (trusted without tracking id)
    describe_owner: Callable[[str], str] = str  # another owner's id, as a person reads it
    wait_timeout: float = 30.0
    poll_interval: float = 0.1

    @property
    def field_manager(self) -> str:
        return self.manager or ownership.manager_for(self.owner)


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
    ownership: str = ownership.OWNED
    other_owner: str = ""

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
    """`akua.dev/prune: disabled`, or Helm's `helm.sh/resource-policy: keep`."""
    notes = ownership.annotations(obj)
    return notes.get(PRUNE_ANNOTATION) == "disabled" or notes.get(HELM_KEEP_ANNOTATION) == "keep"


def prepare(obj: dict, options: ApplyOptions, client: KubeClient) -> dict:
    """The configuration Akua applies for `obj`: labels (and the owner's tracking id)
    added, namespace defaulted."""
    out = copy.deepcopy(obj)
    meta = out.get("metadata") if isinstance(out.get("metadata"), dict) else {}
    out["metadata"] = meta
    labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else {}
    meta["labels"] = labels
    labels[MANAGED_BY] = "akua"
    labels.update(options.labels)
    if client.is_namespaced(out.get("apiVersion", ""), out.get("kind", "")):
        if not meta.get("namespace"):
            meta["namespace"] = options.namespace
    else:
        meta.pop("namespace", None)
    if options.owner and not ownership.is_chart_crd(out):
        labels[OWNER_LABEL] = options.owner
        notes = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
        notes[TRACKING_ANNOTATION] = ownership.tracking_id(options.owner, ObjectRef.of(out))
        meta["annotations"] = notes
    elif ownership.is_chart_crd(out):  # never owned: no installation's label on it
        labels.pop(OWNER_LABEL, None)
    return out


# Helm's releaseutil.InstallOrder: the kinds it knows, in the order it installs them.
HELM_INSTALL_ORDER = {
    kind: index
    for index, kind in enumerate(
        (
            "PriorityClass Namespace NetworkPolicy ResourceQuota LimitRange PodSecurityPolicy "
            "PodDisruptionBudget ServiceAccount Secret SecretList ConfigMap StorageClass "
            "PersistentVolume PersistentVolumeClaim CustomResourceDefinition ClusterRole "
            "ClusterRoleList ClusterRoleBinding ClusterRoleBindingList Role RoleList RoleBinding "
            "RoleBindingList Service DaemonSet Pod ReplicationController ReplicaSet Deployment "
            "HorizontalPodAutoscaler StatefulSet Job CronJob IngressClass Ingress APIService"
        ).split()
    )
}


def install_rank(obj: dict) -> tuple[int, str]:
    """Where Helm installs an object of this kind: the kinds it knows in its order, then
    the others by kind (a webhook configuration after the Service it calls)."""
    kind = str(obj.get("kind") or "")
    return (
        (HELM_INSTALL_ORDER[kind], "")
        if kind in HELM_INSTALL_ORDER
        else (len(HELM_INSTALL_ORDER), kind)
    )


def _first(obj: dict) -> bool:
    return (obj.get("apiVersion"), obj.get("kind")) in (
        ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
        ("v1", "Namespace"),
    )


def namespace_object(name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": {MANAGED_BY: "akua"}},
    }


def apply_objects(
    client: KubeClient,
    objects: list[dict],
    options: ApplyOptions,
    previous: dict[ObjectRef, str] | None = None,
    *,
    namespace_entry: Entry | None = None,
) -> ChangeSet:
    """Apply `objects` (in Helm's order of kinds); `previous` maps refs to the hash applied
    last time.

    `namespace_entry`: the installation's namespace, made ready already (`ready_namespace`,
    before pre-install hooks); otherwise it is made ready here.
    """
    previous = previous or {}
    changes = ChangeSet()
    first = [o for o in objects if _first(o)]
    rest = sorted((o for o in objects if not _first(o)), key=install_rank)

    waits = []
    if namespace_entry is None:
        namespace_entry = ensure_namespace_for(client, objects, options)
        if namespace_entry is not None and namespace_entry.action == CREATED:
            waits.append(namespace_entry)
    if namespace_entry is not None:
        changes.entries.append(namespace_entry)
    for obj in first:
        entry = _apply_one(client, obj, options, previous)
        changes.entries.append(entry)
        if entry.action in (CREATED, CONFIGURED, UNCHANGED):
            waits.append(entry)
    for entry in waits:
        try:
            _wait_ready(client, entry.ref, options)
        except WaitTimeout as e:
            entry.action, entry.message = FAILED, str(e)
    for obj in rest:
        changes.entries.append(_apply_one(client, obj, options, previous))
    return changes


def ensure_namespace_for(
    client: KubeClient, objects: list[dict], options: ApplyOptions
) -> Entry | None:
    """`ensure_namespace` for the installation's namespace, unless the render declares it."""
    own = ObjectRef("v1", "Namespace", "", options.namespace)
    if not options.namespace or own in {ObjectRef.of(o) for o in objects}:
        return None
    return ensure_namespace(client, options.namespace, options)


def ready_namespace(client: KubeClient, objects: list[dict], options: ApplyOptions) -> Entry | None:
    """The installation's namespace created when missing and waited for (Active): what
    hooks need before anything else, as `helm install --create-namespace`."""
    entry = ensure_namespace_for(client, objects, options)
    if entry is not None and entry.action == CREATED:
        try:
            _wait_ready(client, entry.ref, options)
        except WaitTimeout as e:
            entry.action, entry.message = FAILED, str(e)
    return entry


def ensure_namespace(client: KubeClient, name: str, options: ApplyOptions) -> Entry | None:
    """The installation's namespace: created when missing; one Akua created is reported
    (ownership `namespace`: deleted by the last installation that leaves it empty); one
    that existed before is not Akua's and not reported."""
    ref = ObjectRef("v1", "Namespace", "", name)
    live = client.get(ref)
    if live is not None and _terminating(live):
        # Deleted a moment ago (an uninstall, a move away): a namespace being terminated
        # takes no new objects, so wait until it is gone, then create it afresh.
        deadline = time.monotonic() + options.wait_timeout * TERMINATING_WAITS
        live = wait_gone(client, ref, deadline, options.poll_interval)
        if live is not None:
            return Entry(
                ref.subject,
                FAILED,
                f"Namespace {name} is still being deleted after "
                f"{int(options.wait_timeout * TERMINATING_WAITS)} s; apply again once it is gone",
                ref=ref,
                ownership=ownership.NAMESPACE,
            )
    if live is not None:
        if ownership.labels(live).get(MANAGED_BY) != "akua":
            return None
        return Entry(ref.subject, UNCHANGED, ref=ref, ownership=ownership.NAMESPACE)
    desired = namespace_object(name)
    entry = Entry(ref.subject, CREATED, ref=ref, applied=desired, ownership=ownership.NAMESPACE)
    try:
        client.apply(desired, manager=options.field_manager)
    except ApiError as e:
        entry.action, entry.message = FAILED, e.message or str(e)
    return entry


def _belongs(options: ApplyOptions, other: str) -> str:
    return (
        f"Belongs to {options.describe_owner(other)}; Akua did not change it. "
        "Two installations cannot own one object: give this one another release name "
        "or namespace, or remove the other."
    )


def owned_by_others(
    client: KubeClient, objects: list[dict], options: ApplyOptions, previous=None
) -> list[Entry]:
    """The objects of `objects` another installation owns, as failed entries naming it,
    read before anything is applied: as `helm install` refuses a release whose objects
    belong to another before it runs any hook (a hook Job runs code; it must not run for an
    apply that cannot succeed)."""
    previous = previous or {}
    found = []
    for obj in objects:
        try:
            desired = prepare(obj, options, client)
        except ApiError:
            continue  # the apply itself says why
        ref = ObjectRef.of(desired)
        decision = ownership.claim(
            options.owner,
            desired,
            client.get(ref),
            adopt=ref in options.adopt,
            known=ref in options.known or ref in previous,
        )
        if decision.other:
            found.append(
                Entry(
                    ref.subject,
                    FAILED,
                    _belongs(options, decision.other),
                    ref=ref,
                    applied=desired,
                    ownership=decision.ownership,
                    other_owner=decision.other,
                )
            )
    return found


def _apply_one(client: KubeClient, obj: dict, options: ApplyOptions, previous) -> Entry:
    raw_ref = ObjectRef.of(obj)
    try:
        desired = prepare(obj, options, client)
    except ApiError as e:
        return Entry(raw_ref.subject, FAILED, unserved_words(e, raw_ref), ref=raw_ref, applied=obj)
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
        decision = ownership.claim(
            options.owner,
            desired,
            live,
            adopt=ref in options.adopt,
            known=ref in options.known or ref in previous,
        )
        entry.ownership = decision.ownership
        if decision.other:
            entry.other_owner = decision.other
            entry.message = _belongs(options, decision.other)
            return entry
        if not decision.apply:
            entry.action = UNCHANGED if decision.ownership == ownership.CRD else SKIPPED
            entry.message = decision.reason
            return entry
        force = options.force or decision.force
        if (
            live is not None
            and not force
            and previous.get(ref) == entry.applied_hash
            and matches(desired, live)
        ):
            entry.action = UNCHANGED
            return entry
        result = client.apply(desired, manager=options.field_manager, force=force)
    except ApiError as e:
        entry.message = _conflict_words(e) if e.code == 409 else unserved_words(e, ref)
        return entry
    if live is None:
        entry.action = CREATED
    elif _version(result) and _version(result) == _version(live):
        entry.action = UNCHANGED  # the server found nothing to change (e.g. `1000m` is `1`)
    else:
        entry.action = CONFIGURED
    if entry.ownership == ownership.ADOPTED and ref in options.adopt and live is not None:
        entry.message = "Adopted: Akua manages it from now on"
    return entry


def _version(obj: dict | None) -> str:
    return str(((obj or {}).get("metadata") or {}).get("resourceVersion") or "")


def _conflict_words(e: ApiError) -> str:
    return (
        f"{e.message}. Akua did not overwrite it; change the other manager or re-apply "
        "with force to take the field over."
    )


def is_builtin_group(api_version: str) -> bool:
    """Kubernetes' own API groups: the core group, groups without a dot (apps, batch…) and
    `*.k8s.io` (reserved for Kubernetes; a CRD may not take it without approval)."""
    group = api_version.rpartition("/")[0]
    return "." not in group or group.endswith(".k8s.io") or group == "k8s.io"


def unserved_words(e: ApiError, ref: ObjectRef) -> str:
    """An error as a person reads it; a kind the cluster does not serve says whether a CRD
    would help (a built-in kind's API is simply not served by this cluster's version)."""
    if e.code == 404 and getattr(e, "unserved", False):
        if not ref.api_version:  # as kubectl says: error validating data: apiVersion not set
            return (
                f"{ref.kind or 'The object'} has no apiVersion (apiVersion not set): its "
                "template rendered none, e.g. a `{{- if … -}}` trim glued it onto a comment line."
            )
        if is_builtin_group(ref.api_version):
            return (
                f"The cluster does not serve {ref.api_version} {ref.kind}: it is a built-in "
                "Kubernetes API that this cluster's version or configuration does not offer; "
                "use an API version the cluster serves."
            )
        return (
            f"The cluster does not serve {ref.api_version} {ref.kind}; is its "
            "CustomResourceDefinition installed?"
        )
    return e.message or str(e)


# A namespace being deleted is waited for this many wait_timeouts (2 minutes by default).
TERMINATING_WAITS = 4


def _terminating(live: dict) -> bool:
    return bool((live.get("metadata") or {}).get("deletionTimestamp")) or (
        (live.get("status") or {}).get("phase") == "Terminating"
    )


def wait_gone(client: KubeClient, ref: ObjectRef, deadline: float, poll: float) -> dict | None:
    """None once `ref` is gone; its live state if it is still there at `deadline`."""
    while (live := client.get(ref)) is not None:
        if time.monotonic() > deadline:
            return live
        time.sleep(poll)
    return None


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
