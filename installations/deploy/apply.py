"""The apply task's body: a render's manifests applied to the installation's cluster.

One apply per installation at a time (`installations.deploy.claims`). It lands where the
render's installation.yaml says (its namespace; `installations.landing`), as the
installation (`deploy.ownership`: its tracking id and field manager; nothing of another
installation's is changed, nothing found on the cluster is adopted unless a person chose
to). Helm hooks run as Helm runs them (clusters.hooks): the `pre-install` (first apply in a
place) or `pre-upgrade` hooks first, each waited for, a failure failing the apply with the
hook's message; then the objects; `post-*` hooks once everything is healthy
(`deploy.after`). Objects of the previous apply that are no longer rendered are pruned
once everything applied; the change set is stored as an `ApplyResult` and its
`InventoryEntry` rows, and health is read right after (`deploy.monitor`).

A render whose namespace differs from the previous apply's, or an installation assigned to
another cluster, is a move: the objects are applied in the new place and the previous
apply becomes `previous_place`, removed once the new place is healthy (`deploy.after`);
until then, or when the new place fails, the old place keeps running.
"""

from __future__ import annotations

import time
from dataclasses import asdict

import yaml
from django.conf import settings
from django.utils import timezone

from clusters import hooks, ownership
from clusters.actions import client_for
from clusters.apply import (
    DELETED,
    FAILED,
    SKIPPED,
    ChangeSet,
    apply_objects,
    owned_by_others,
    ready_namespace,
)
from clusters.client import ClusterError, Unreachable
from clusters.diff import secret_safe
from clusters.prune import Stale, prune
from installations import enqueue
from installations.deploy import claims
from installations.deploy.assign import (
    current_apply,
    has_kubeconfig,
    latest_render,
    place_of,
)
from installations.deploy.monitor import check_health
from installations.deploy.ownership import apply_options
from installations.landing import target_at
from installations.models import ApplyResult, Installation, InventoryEntry, Render
from installations.repository import Repository
from installations.sensitive import SensitiveInputError, render_manifest_files
from installations.state import set_state

INSTALLATION_LABEL = ownership.OWNER_LABEL
OWNER_NAME = "this installation"
APPLY_RETRY_SECONDS = 30
TRACKED = (ownership.OWNED, ownership.ADOPTED)  # what the installation applies and manages


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
    cluster = installation.cluster
    namespace = render_namespace(installation, render)
    previous = current_apply(installation)
    moving = previous is not None and place_of(previous) != (cluster.pk, namespace)
    prev_entries = list(previous.inventory.all()) if previous and not moving else []
    event = (
        "install" if moving or not _applied_here(installation, cluster, namespace) else "upgrade"
    )
    result = ApplyResult.objects.create(
        installation=installation,
        render=render,
        cluster=cluster,
        namespace=namespace,
        commit_sha=render.manifests_sha or render.commit_sha,
        force=force,
        requested_by_id=user_id,
        event=event,
        previous_place=_previous_place(previous, moving),
    )
    client = None
    try:
        try:
            client = client_for(cluster)
            hook_entries, changes, carried, post = _apply_and_prune(
                client, installation, render, result, objects, prev_entries, force
            )
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
        _record(installation, render, result, changes, carried, prev_entries, hook_entries, post)
        if changes.ok:
            check_health(installation, client=client)
    finally:
        if client is not None:
            client.close()


def render_namespace(installation, render) -> str:
    """The namespace `render` lands in: its installation.yaml's."""
    sha = render.manifests_sha or render.commit_sha
    return target_at(installation, Repository(installation.repo_path), sha or None).namespace


def _applied_here(installation, cluster, namespace) -> bool:
    """Whether an apply in this place succeeded before (Helm: upgrade rather than install)."""
    return ApplyResult.objects.filter(
        installation=installation,
        cluster=cluster,
        namespace=namespace,
        state=ApplyResult.State.APPLIED,
    ).exists()


def _previous_place(previous, moving: bool):
    """The apply whose objects are removed once this one is healthy: the previous one when
    this is a move; the previous one's own, while that move is not finished."""
    if previous is None:
        return None
    if moving:
        return previous
    if previous.previous_place_id and previous.after_healthy != ApplyResult.AfterHealthy.DONE:
        return previous.previous_place
    return None


def _apply_and_prune(client, installation, render, result, objects, prev_entries, force: bool):
    """Pre-hooks, then the objects, then the previous apply's objects that are no longer
    rendered pruned. Returns (hook entries, change set, carried, post hooks): when something
    failed nothing is pruned and those are `carried` to stay in the inventory."""
    known = [e.ref for e in prev_entries if e.ownership in TRACKED]
    options = apply_options(
        installation, result.namespace, cluster_id=result.cluster_id, known=known, force=force
    )
    regular, found_hooks = hooks.split(objects)
    pre = hooks.for_phase(found_hooks, f"pre-{result.event}")
    post = hooks.for_phase(found_hooks, f"post-{result.event}")
    stale_all = [Stale(e.ref, e.prune_disabled, e.ownership) for e in prev_entries]
    hook_entries = []
    namespace_entry = ready_namespace(client, objects, options)
    if namespace_entry is not None and namespace_entry.action == FAILED:
        return [], ChangeSet([namespace_entry]), stale_all, post
    prev_hashes = {e.ref: e.applied_hash for e in prev_entries if e.applied_hash}
    if pre and (taken := owned_by_others(client, regular, options, prev_hashes)):
        return [], ChangeSet([e for e in [namespace_entry] if e] + taken), stale_all, post
    if pre:
        set_state(
            installation,
            Installation.State.SYNCING,
            f"Applying {render.id}: running {len(pre)} pre-{result.event} hook"
            f"{'s' if len(pre) != 1 else ''}",
            render=render,
        )
        hook_entries = hooks.run(
            client, pre, f"pre-{result.event}", options, hook_options(installation)
        )
        if any(e.action == FAILED for e in hook_entries):
            return hook_entries, ChangeSet([e for e in [namespace_entry] if e]), stale_all, post
    changes = apply_objects(client, regular, options, prev_hashes, namespace_entry=namespace_entry)
    desired = {e.ref for e in changes.entries}
    stale = [s for s in stale_all if s.ref not in desired]
    if not changes.ok:
        return hook_entries, changes, stale, post
    changes.entries += prune(client, stale, installation.pk, owner_name=OWNER_NAME)
    return hook_entries, changes, [], post


def hook_options(installation) -> hooks.HookOptions:
    """Bounded waits whose progress shows as the installation's state reason (at most
    once a second: the page polls every 5 s)."""
    last = [0.0]

    def progress(text: str) -> None:
        now = time.monotonic()
        if now - last[0] >= 1.0:
            last[0] = now
            Installation.objects.filter(pk=installation.pk).update(state_reason=text)

    return hooks.HookOptions(timeout=settings.HOOK_TIMEOUT, progress=progress)


def _record(
    installation, render, result, changes, carried, prev_entries, hook_entries=(), post=()
) -> None:
    """Store the change set as the new inventory and settle the render and the state."""
    everything = ChangeSet([*hook_entries, *changes.entries])  # what the change set shows
    entries = []
    for entry in changes.entries:
        if entry.action == DELETED:
            continue
        if entry.action == SKIPPED and entry.ownership != ownership.EXISTING:
            continue
        entries.append(
            InventoryEntry(
                apply=result,
                installation=installation,
                position=len(entries),
                **asdict(entry.ref),
                action=entry.action,
                message=entry.message,
                applied=secret_safe(entry.applied),
                applied_hash=entry.applied_hash
                if entry.action != FAILED and entry.ownership in TRACKED
                else "",
                prune_disabled=entry.prune_disabled,
                ownership=entry.ownership,
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
                **asdict(prev.ref),
                action=SKIPPED,
                message="Not pruned: the apply failed",
                applied=prev.applied,
                applied_hash=prev.applied_hash,
                prune_disabled=prev.prune_disabled,
                ownership=prev.ownership,
            )
        )
    InventoryEntry.objects.bulk_create(entries)
    values = [e.as_dict() for e in everything.entries]
    if not everything.ok:
        error = "\n".join(f"{e.subject}: {e.message}" for e in everything.failed)
        ApplyResult.objects.filter(pk=result.pk).update(entries=values)
        _finish_failed_apply(installation, render, result, values, error, everything.summary())
        return
    summary = everything.summary()
    cluster = installation.cluster
    waiting = bool(post) or result.previous_place_id is not None
    ApplyResult.objects.filter(pk=result.pk).update(
        state=ApplyResult.State.APPLIED,
        entries=values,
        message=f"Applied to {cluster}: {summary}" + _left_alone(changes),
        finished_at=timezone.now(),
        after_healthy=ApplyResult.AfterHealthy.PENDING if waiting else "",
    )
    Render.objects.filter(pk=render.pk).update(
        state=render.state if render.state != Render.State.FAILED else Render.State.DEPLOYED,
        message=f"Applied to {cluster}: {summary}"[:300],
        error="",
    )
    set_state(
        installation,
        Installation.State.SYNCING,
        f"Applied {render.id} to {cluster}: {summary}; reading health" + _left_alone(changes),
        render=render,
    )


def _left_alone(changes) -> str:
    found = [e.subject for e in changes.entries if e.ownership == ownership.EXISTING]
    if not found:
        return ""
    listed = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    return (
        f". Left alone, because they existed before and Akua did not create them: {listed} "
        "(adopt them on the installation page for Akua to manage them)"
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
