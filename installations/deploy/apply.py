"""The apply task's body: a render's manifests applied to the installation's cluster.

One apply per installation at a time (`installations.deploy.claims`). The objects carry
the installation's ownership label; objects of the previous apply that are no longer
rendered are pruned once everything applied; the change set is stored as an `ApplyResult`
and its `InventoryEntry` rows, and health is read right after (`deploy.monitor`).
"""

from __future__ import annotations

import yaml
from django.utils import timezone

from clusters.actions import client_for
from clusters.apply import FAILED, SKIPPED, ApplyOptions, apply_objects
from clusters.client import ClusterError, Unreachable
from clusters.diff import secret_safe
from clusters.prune import Stale, prune
from installations import enqueue
from installations.deploy import claims
from installations.deploy.assign import current_apply, has_kubeconfig, latest_render
from installations.deploy.monitor import check_health
from installations.models import ApplyResult, Installation, InventoryEntry, Render
from installations.sensitive import SensitiveInputError, render_manifest_files
from installations.state import set_state

INSTALLATION_LABEL = "akua.dev/installation"
OWNER_NAME = "this installation"
APPLY_RETRY_SECONDS = 30


def owner_labels(installation) -> dict[str, str]:
    """The label every object of the installation carries; prune keeps what lost it."""
    return {INSTALLATION_LABEL: installation.pk}


def read_manifests(render) -> list[dict]:
    """The objects to apply for `render`: its committed manifests, with each redacted
    Secret swapped for the full one kept encrypted on the Render."""
    objects = []
    for _path, data in render_manifest_files(render).items():
        for doc in yaml.safe_load_all(data):
            if isinstance(doc, dict) and doc.get("kind"):
                objects.append(doc)
    return objects


def run_apply(installation_id: str, render_id: str, *, force: bool = False, user_id=None) -> None:
    """Body of the apply task: apply `render_id` holding the installation's cluster claim.

    A task that cannot claim leaves the work to the holder, which after releasing looks
    again and applies the newest render if it has no apply yet (a render that arrived
    while it was applying), so none is stranded. A forced re-apply that cannot claim may be
    of the very render being applied without force, so it is sent again in
    APPLY_RETRY_SECONDS instead.
    """
    done: set[str] = set()
    while True:
        claimed_at = claims.claim(installation_id)
        if claimed_at is None:
            if force:
                _retry_later(installation_id, render_id, user_id)
            return
        try:
            _apply(installation_id, render_id, force=force, user_id=user_id)
        finally:
            claims.release(installation_id, claimed_at)
        done.add(render_id)
        render_id = _unapplied_render(installation_id, done)
        if render_id is None:
            return
        force, user_id = False, None


def _retry_later(installation_id: str, render_id: str, user_id) -> None:
    if (
        Installation.objects.filter(pk=installation_id, cluster__isnull=False)
        .exclude(state=Installation.State.DELETED)
        .exists()
    ):
        enqueue.enqueue_apply_later(
            installation_id, render_id, APPLY_RETRY_SECONDS, force=True, user_id=user_id
        )


def _unapplied_render(installation_id: str, done: set[str]) -> str | None:
    """The newest render when it has no apply yet and this task has not tried it."""
    installation = Installation.objects.filter(pk=installation_id).first()
    if (
        installation is None
        or installation.state == Installation.State.DELETED
        or installation.cluster_id is None
        or not has_kubeconfig(installation)
    ):
        return None
    newest = latest_render(installation)
    if newest is None or newest.pk in done or newest.applies.exists():
        return None
    return newest.pk


def _apply(installation_id: str, render_id: str, *, force: bool, user_id) -> None:
    """One apply, the claim held. A render that is no longer the newest is left alone."""
    installation = (
        Installation.objects.select_related("cluster", "customer_workspace")
        .filter(pk=installation_id)
        .first()
    )
    render = Render.objects.filter(pk=render_id).first()
    if installation is None or render is None or installation.cluster is None:
        return
    S = Installation.State
    if installation.state == S.DELETED:
        return
    newest = latest_render(installation)
    if newest is None or newest.pk != render.pk:
        return  # a newer render exists; its own apply comes
    try:
        objects = read_manifests(render)
    except SensitiveInputError as e:
        set_state(installation, S.FAILED, str(e), render=render)
        return
    previous = current_apply(installation)
    prev_entries = list(previous.inventory.all()) if previous else []
    cluster = installation.cluster
    result = ApplyResult.objects.create(
        installation=installation,
        render=render,
        cluster=cluster,
        namespace=installation.namespace,
        commit_sha=render.manifests_sha or render.commit_sha,
        force=force,
        requested_by_id=user_id,
    )
    client = None
    try:
        try:
            client = client_for(cluster)
            changes, carried = _apply_and_prune(client, installation, objects, prev_entries, force)
        except Unreachable as e:
            # Nothing is known to have changed: the previous apply stays the inventory.
            ApplyResult.objects.filter(pk=result.pk).delete()
            set_state(
                installation,
                S.UNKNOWN,
                f"Could not apply {render.id} to {cluster}: the cluster did not answer: "
                f"{e.reason}. Akua applies it when the cluster is back.",
                render=render,
            )
            return
        except ClusterError as e:
            _finish_failed_apply(installation, render, result, [], str(e))
            return
        _record(installation, render, result, changes, carried, prev_entries)
        if changes.ok:
            check_health(installation, client=client)
    finally:
        if client is not None:
            client.close()


def _apply_and_prune(client, installation, objects, prev_entries, force: bool):
    """The change set of applying `objects`, with the previous apply's objects that are no
    longer rendered pruned; when something failed nothing is pruned and those are returned
    (`carried`) to stay in the inventory."""
    options = ApplyOptions(
        namespace=installation.namespace or "default",
        labels=owner_labels(installation),
        force=force,
    )
    prev_hashes = {e.ref: e.applied_hash for e in prev_entries if e.applied_hash}
    changes = apply_objects(client, objects, options, prev_hashes)
    desired = {e.ref for e in changes.entries}
    stale = [Stale(e.ref, e.prune_disabled) for e in prev_entries if e.ref not in desired]
    if not changes.ok:
        return changes, stale
    changes.entries += prune(client, stale, owner_labels(installation), owner_name=OWNER_NAME)
    return changes, []


def _record(installation, render, result, changes, carried, prev_entries) -> None:
    """Store the change set as the new inventory and settle the render and the state."""
    entries = []
    for entry in changes.entries:
        if entry.action == SKIPPED or entry.action == "deleted":
            continue
        entries.append(
            InventoryEntry(
                apply=result,
                installation=installation,
                position=len(entries),
                api_version=entry.ref.api_version,
                kind=entry.ref.kind,
                namespace=entry.ref.namespace,
                name=entry.ref.name,
                action=entry.action,
                message=entry.message,
                applied=secret_safe(entry.applied),
                applied_hash="" if entry.action == FAILED else entry.applied_hash,
                prune_disabled=entry.prune_disabled,
            )
        )
    old = {e.ref: e for e in prev_entries}
    for item in carried:
        prev = old[item.ref]
        entries.append(
            InventoryEntry(
                apply=result,
                installation=installation,
                position=len(entries),
                api_version=prev.api_version,
                kind=prev.kind,
                namespace=prev.namespace,
                name=prev.name,
                action=SKIPPED,
                message="Not pruned: the apply failed",
                applied=prev.applied,
                applied_hash=prev.applied_hash,
                prune_disabled=prev.prune_disabled,
            )
        )
    InventoryEntry.objects.bulk_create(entries)
    values = [e.as_dict() for e in changes.entries]
    if not changes.ok:
        error = "\n".join(f"{e.subject}: {e.message}" for e in changes.failed)
        ApplyResult.objects.filter(pk=result.pk).update(entries=values)
        _finish_failed_apply(installation, render, result, values, error, changes.summary())
        return
    summary = changes.summary()
    cluster = installation.cluster
    ApplyResult.objects.filter(pk=result.pk).update(
        state=ApplyResult.State.APPLIED,
        entries=values,
        message=f"Applied to {cluster}: {summary}",
        finished_at=timezone.now(),
    )
    Render.objects.filter(pk=render.pk).update(
        state=render.state if render.state != Render.State.FAILED else Render.State.DEPLOYED,
        message=f"Applied to {cluster}: {summary}"[:300],
        error="",
    )
    set_state(
        installation,
        Installation.State.SYNCING,
        f"Applied {render.id} to {cluster}: {summary}; reading health",
        render=render,
    )


def _finish_failed_apply(installation, render, result, values, error, summary=""):
    count = error.count("\n") + 1 if error else 0
    message = f"Apply failed: {count} object{'s' if count != 1 else ''} not applied" + (
        f" ({summary})" if summary else ""
    )
    ApplyResult.objects.filter(pk=result.pk).update(
        state=ApplyResult.State.FAILED,
        message=f"{message}\n{error}".strip(),
        finished_at=timezone.now(),
    )
    Render.objects.filter(pk=render.pk).update(
        state=Render.State.FAILED, message=message[:300], error=error
    )
    set_state(
        installation,
        Installation.State.FAILED,
        f"{message}. {error}".strip(),
        render=render,
    )
