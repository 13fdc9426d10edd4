"""Delete what an owner applied before and no longer declares (and, on uninstall, all).

`prune(client, stale, owner, owner_name=…)`: `stale` in apply order; deleted in reverse,
with Namespaces and CustomResourceDefinitions last (deleting a namespace deletes what is in
it; deleting a CRD deletes its objects). Only what the owner created is deleted. Kept, with
the reason (`skipped`), when:

- the object is annotated `akua.dev/prune: disabled` or `helm.sh/resource-policy: keep`
  (in what Akua applied or live);
- the live object no longer belongs to `owner` (clusters.ownership: its tracking id, or for
  objects applied before tracking ids its owner label, names someone else, or nobody);
- it was adopted (ownership `adopted`) and `delete_adopted` is off: it existed before Akua
  and outlives the installation unless a person chooses otherwise;
- it is a chart's CRD (ownership `crd`): Helm never deletes those;
- it is a namespace Akua created (ownership `namespace`) and something else is in it
  (clusters.namespaces).

Objects the owner found and left alone (`existing`) are not its to delete and are not
reported. On uninstall (`force_all`), an object of the owner's that stays (annotated, or
adopted) is released: its tracking id and owner label are removed, so it is nobody's again
and a later installation finds it as an object that existed before (to adopt, or to leave
alone). A pruned object that stays keeps them: rendered again, it is the owner's again. Gone already
counts as deleted. Results are change-set entries like apply's.
"""

from __future__ import annotations

from dataclasses import dataclass

from clusters import ownership
from clusters.apply import DELETED, FAILED, SKIPPED, Entry, is_prune_disabled
from clusters.client import ApiError, KubeClient, ObjectRef
from clusters.namespaces import others_in

_LAST = ("Namespace", "CustomResourceDefinition")


@dataclass
class Stale:
    ref: ObjectRef
    prune_disabled: bool = False
    ownership: str = ownership.OWNED


def deletion_order(items: list[Stale]) -> list[Stale]:
    reverse = list(reversed(items))
    return [s for s in reverse if s.ref.kind not in _LAST] + [
        s for s in reverse if s.ref.kind in _LAST
    ]


def prune(
    client: KubeClient,
    stale: list[Stale],
    owner: str,
    *,
    owner_name: str = "its owner",
    force_all: bool = False,
    delete_adopted: bool = False,
) -> list[Entry]:
    """Delete `stale` objects that `owner` created; `force_all` (uninstall) words the
    entries "Uninstalled" and still honours the annotations."""
    entries = []
    deleted: set[ObjectRef] = set()
    for item in deletion_order(stale):
        if item.ownership == ownership.EXISTING:
            continue
        ref = item.ref
        entry = Entry(ref.subject, DELETED, ref=ref, ownership=item.ownership)
        try:
            reason = _keep_reason(client, item, owner, owner_name, delete_adopted, deleted)
            if reason is None:
                client.delete(ref)
                deleted.add(ref)
                entry.message = "Removed from manifests/" if not force_all else "Uninstalled"
            elif reason == "":
                entry.message = "Already gone"
                deleted.add(ref)
            else:
                entry.action, entry.message = SKIPPED, reason
                entry.prune_disabled = "prune" in reason or "resource-policy" in reason
                if force_all and owner and item.ownership in (ownership.OWNED, ownership.ADOPTED):
                    if release(client, item.ref, owner):
                        entry.message += "; released: Akua no longer manages it"
        except ApiError as e:
            entry.action, entry.message = FAILED, e.message or str(e)
        entries.append(entry)
    return entries


def _keep_reason(client, item: Stale, owner, owner_name, delete_adopted, deleted) -> str | None:
    """None: delete it; "": it is gone already; else why it stays."""
    live = client.get(item.ref)
    if live is None:
        return ""
    if item.ownership == ownership.CRD:
        return "Kept: a chart's CRDs (crds/) are never deleted, as Helm does"
    if item.prune_disabled or is_prune_disabled(live):
        if ownership.annotations(live).get("helm.sh/resource-policy") == "keep":
            return "Kept: annotated helm.sh/resource-policy: keep"
        return "Kept: annotated akua.dev/prune: disabled"
    if item.ownership == ownership.NAMESPACE:
        if ownership.labels(live).get(ownership.MANAGED_BY) != "akua":
            return "Kept: Akua did not create this namespace"
        others = others_in(client, item.ref.name, ignore=deleted)
        if others:
            listed = ", ".join(others[:3]) + (
                f" and {len(others) - 3} more" if len(others) > 3 else ""
            )
            return f"Kept: other objects are in it ({listed})"
        return None
    if owner and ownership.owner_of(live, item.ref) != owner:
        return f"Kept: the live object no longer belongs to {owner_name}"
    if item.ownership == ownership.ADOPTED and not delete_adopted:
        return "Kept: adopted (it existed before Akua); delete it yourself if you no longer need it"
    return None


def release(client: KubeClient, ref: ObjectRef, owner: str) -> bool:
    """Remove `owner`'s marks (tracking id, owner label, managed-by) from an object it keeps
    on the cluster; False when it is not `owner`'s (or is gone)."""
    live = client.get(ref)
    if live is None or ownership.owner_of(live, ref) != owner:
        return False
    client.merge_patch(
        ref,
        {
            "metadata": {
                "labels": {ownership.OWNER_LABEL: None, ownership.MANAGED_BY: None},
                "annotations": {ownership.TRACKING_ANNOTATION: None},
            }
        },
        manager=ownership.manager_for(owner),
    )
    return True
