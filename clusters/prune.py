"""Delete what an owner applied before and no longer declares (and, on uninstall, all).

`prune(client, stale, owner_labels, owner_name=…)`: `stale` in apply order; deleted in reverse, with
Namespaces and CustomResourceDefinitions last (deleting a namespace deletes what is in it;
deleting a CRD deletes its objects). Skipped, with the reason, when:

- the object is annotated `akua.dev/prune: disabled` (in what Akua applied or live);
- the live object no longer carries every one of `owner_labels` (someone took it over; the
  caller passes the labels it applied with, e.g. `akua.dev/installation: <id>`).

Gone already counts as deleted. Results are change-set entries like apply's.
"""

from __future__ import annotations

from dataclasses import dataclass

from clusters.apply import (
    DELETED,
    FAILED,
    SKIPPED,
    Entry,
    is_prune_disabled,
)
from clusters.client import ApiError, KubeClient, ObjectRef

_LAST = ("Namespace", "CustomResourceDefinition")


@dataclass
class Stale:
    ref: ObjectRef
    prune_disabled: bool = False


def deletion_order(items: list[Stale]) -> list[Stale]:
    reverse = list(reversed(items))
    return [s for s in reverse if s.ref.kind not in _LAST] + [
        s for s in reverse if s.ref.kind in _LAST
    ]


def prune(
    client: KubeClient,
    stale: list[Stale],
    owner_labels: dict[str, str],
    *,
    owner_name: str = "its owner",
    force_all: bool = False,
) -> list[Entry]:
    """Delete `stale` objects; `force_all` (uninstall) still honours the annotation.

    `owner_name` words the reason an object taken over is kept ("… no longer belongs to …").
    """
    entries = []
    for item in deletion_order(stale):
        ref = item.ref
        entry = Entry(ref.subject, DELETED, ref=ref)
        try:
            live = client.get(ref)
            if live is None:
                entry.message = "Already gone"
            elif item.prune_disabled or is_prune_disabled(live):
                entry.action = SKIPPED
                entry.message = "Kept: annotated akua.dev/prune: disabled"
                entry.prune_disabled = True
            elif not _carries(live, owner_labels):
                entry.action = SKIPPED
                entry.message = f"Kept: the live object no longer belongs to {owner_name}"
            else:
                client.delete(ref)
                entry.message = "Removed from manifests/" if not force_all else "Uninstalled"
        except ApiError as e:
            entry.action, entry.message = FAILED, e.message or str(e)
        entries.append(entry)
    return entries


def _carries(live: dict, labels: dict[str, str]) -> bool:
    have = (live.get("metadata") or {}).get("labels") or {}
    return all(have.get(k) == v for k, v in labels.items())
