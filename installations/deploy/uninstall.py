"""Uninstall: the installation's objects removed from its cluster (and from a place it was
moving from); `remove_place` is that removal for one apply's place, also used when a move
finishes (`installations.deploy.after`)."""

from __future__ import annotations

import yaml
from django.utils import timezone

from clusters import hooks, ownership
from clusters.actions import ClusterActionError, client_for
from clusters.apply import FAILED, Entry
from clusters.client import ClusterError, ObjectRef, Unreachable
from clusters.prune import Stale, prune
from installations.deploy.assign import current_apply, place_of
from installations.models import ApplyResult
from installations.sensitive import SensitiveInputError, render_manifest_files

OWNER_NAME = "this installation"


def uninstall(installation, *, user=None, delete_adopted: bool = False) -> ApplyResult | None:
    """Remove the installation's objects from its cluster (reverse order, namespaces last):
    what it created, what is left of its Helm hooks, and (while a move is not finished) its
    objects in the place it moved from. What it adopted stays unless `delete_adopted`; a
    chart's CRDs and objects it found and left alone always stay.

    The caller holds `claim_cluster(installation)` (`actions.delete_installation` does,
    until the installation is marked deleted).

    ClusterActionError when the cluster does not answer or an object cannot be deleted:
    the caller does not mark the installation deleted then.
    """
    applied = current_apply(installation)
    if installation.cluster_id is None or applied is None:
        return None
    results: list[Entry] = []
    for place in [applied, *unfinished_places(applied)]:
        try:
            results += remove_place(installation, place, delete_adopted=delete_adopted)
        except Unreachable as e:
            done = "nothing was deleted" if not results else "the rest was not deleted"
            raise ClusterActionError(
                f"{place.cluster} did not answer ({e.reason}); {done}. Try again when it is back."
            ) from None
    failed = [r for r in results if r.action == FAILED]
    result = ApplyResult.objects.create(
        installation=installation,
        render=applied.render,
        cluster=installation.cluster,
        namespace=installation.namespace,
        commit_sha=applied.commit_sha,
        state=ApplyResult.State.FAILED if failed else ApplyResult.State.DELETED,
        entries=[r.as_dict() for r in results],
        message="Uninstall: " + ", ".join(f"{r.subject}: {r.message}" for r in failed)
        if failed
        else f"Uninstalled: {len(results)} objects",
        requested_by=user,
        finished_at=timezone.now(),
    )
    if failed:
        raise ClusterActionError(
            "Some objects could not be deleted: "
            + "; ".join(f"{r.subject}: {r.message}" for r in failed)
        )
    return result


def unfinished_places(applied: ApplyResult) -> list[ApplyResult]:
    """The places `applied` moved from whose objects are not removed yet (newest first)."""
    out, seen = [], {applied.pk}
    here = place_of(applied)
    current = applied
    while (
        current.previous_place_id
        and current.after_healthy != ApplyResult.AfterHealthy.DONE
        and current.previous_place_id not in seen
    ):
        current = current.previous_place
        seen.add(current.pk)
        if place_of(current) != here:
            out.append(current)
    return out


def remove_place(
    installation, place: ApplyResult, *, keep=frozenset(), delete_adopted: bool = False
) -> list[Entry]:
    """Delete what `place` (an apply) put on its cluster, but the refs in `keep` (objects now
    applied in the new place on the same cluster). Unreachable propagates."""
    client = client_for(place.cluster)
    try:
        stale = [
            Stale(e.ref, e.prune_disabled, e.ownership)
            for e in place.inventory.all()
            if e.ref not in keep
        ]
        stale += [Stale(ref) for ref in _hook_leftovers(client, place, keep)]
        return prune(
            client,
            stale,
            installation.pk,
            owner_name=OWNER_NAME,
            force_all=True,
            delete_adopted=delete_adopted,
        )
    finally:
        client.close()


def _hook_leftovers(client, place: ApplyResult, keep) -> list[ObjectRef]:
    """The hook objects of `place`'s render still on the cluster and the installation's
    (hooks without a delete policy stay after they ran, as Helm leaves them)."""
    if place.render is None:
        return []
    try:
        files = render_manifest_files(place.render)
    except SensitiveInputError:
        return []
    objects = [
        doc
        for data in files.values()
        for doc in yaml.safe_load_all(data)
        if isinstance(doc, dict) and doc.get("kind")
    ]
    out = []
    for hook in hooks.split(objects)[1]:
        ref = ObjectRef.of(hook.obj)
        try:
            if client.is_namespaced(ref.api_version, ref.kind) and not ref.namespace:
                ref = ObjectRef(ref.api_version, ref.kind, place.namespace, ref.name)
            live = client.get(ref)
        except ClusterError:
            continue
        if live is not None and ref not in keep and ownership.owner_of(live, ref):
            out.append(ref)
    return out
