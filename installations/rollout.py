"""The rollout of an installation to its cluster: assign a cluster, apply renders, read
health back into the installation's state, re-apply, uninstall, pods and logs.

Views, commands and tasks (`installations.tasks.apply_installation`,
`installations.tasks.monitor_installations`) call these. The cluster engine
(`clusters.apply`, `clusters.prune`, `clusters.inventory`, `clusters.pods`) knows nothing
of installations; this module gives it an installation's manifests (manifests/ at a
render's commit) and its ownership label, stores the change set as `ApplyResult` +
`InventoryEntry`, and moves the installation's state through `installations.actions.set_state`.

Installation state from health — the decision (docs/clusters.md):

    healthy            -> healthy
    suspended          -> healthy   (paused on purpose; the reason says which objects)
    progressing        -> syncing   (applied, not ready yet)
    missing / degraded -> degraded
    unknown            -> unknown   (the cluster did not answer; never healthy)

One apply (or uninstall) of an installation writes to its cluster at a time: each claims
the installation (`Installation.apply_claimed_at`, `claim_cluster`) with a conditional
UPDATE, like the render task, and a claim older than the task timeout is taken over.

`syncing` also while the latest render is not applied yet. A `failed` installation (a
render or an apply failed) stays failed until a new render or re-apply succeeds: the
monitor updates its objects' health but not its state.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import yaml
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clusters.actions import ClusterActionError, client_for
from clusters.apply import FAILED, SKIPPED, ApplyOptions, apply_objects
from clusters.client import ApiError, ClusterError, KubeClient, Unreachable
from clusters.diff import secret_safe
from clusters.health import HealthStatus
from clusters.inventory import observe, rollup
from clusters.models import Cluster
from clusters.pods import WORKLOADS, container_log, pods_of
from clusters.prune import Stale, prune
from installations import tasks
from installations.actions import claim_timeout, set_state
from installations.models import ApplyResult, Installation, InventoryEntry, Render
from installations.sensitive import SensitiveInputError, render_manifest_files

logger = logging.getLogger(__name__)

INSTALLATION_LABEL = "akua.dev/installation"
OWNER_NAME = "this installation"


def owner_labels(installation) -> dict[str, str]:
    """The label every object of the installation carries; prune keeps what lost it."""
    return {INSTALLATION_LABEL: installation.pk}


# -- assignment ----------------------------------------------------------------------------


def assign_cluster(installation, cluster: Cluster, namespace: str, *, user=None) -> None:
    """Run `installation` on `cluster` in `namespace` (created when missing), then apply."""
    if installation.cluster_id and installation.inventory.exists():
        if installation.cluster_id != cluster.pk or installation.namespace != namespace:
            raise ClusterActionError(
                f"{installation.name} already runs on {installation.cluster} in "
                f"{installation.namespace}; moving it is not supported. Delete it and install again."
            )
    Installation.objects.filter(pk=installation.pk).update(cluster=cluster, namespace=namespace)
    installation.cluster, installation.namespace = cluster, namespace
    render = latest_render(installation)
    if render is None:
        return
    set_state(
        installation,
        Installation.State.SYNCING,
        f"Assigned to {cluster} (namespace {namespace}); applying {render.id}",
        render=render,
        actor=user,
    )
    request_apply(installation, render, user=user)


def latest_render(installation):
    """The newest render that produced manifests (deployed, skipped, or failed only at apply)."""
    for render in installation.renders.filter(
        state__in=[Render.State.DEPLOYED, Render.State.SKIPPED, Render.State.FAILED]
    ).order_by("-generation", "-created_at")[:5]:
        if render.manifests_sha or (render.state == Render.State.FAILED and render.commit_sha):
            return render
    return None


def _has_kubeconfig(installation) -> bool:
    return (
        Cluster.objects.filter(pk=installation.cluster_id)
        .exclude(kubeconfig_encrypted=b"")
        .exists()
    )


def request_apply(installation, render, *, force: bool = False, user=None) -> None:
    """Enqueue the apply task on commit; nothing for a cluster without a kubeconfig."""
    if not _has_kubeconfig(installation):
        return

    render_id, installation_id, user_id = render.pk, installation.pk, getattr(user, "pk", None)
    transaction.on_commit(
        lambda: tasks.enqueue_apply(installation_id, render_id, force=force, user_id=user_id)
    )


def reapply(installation, *, user=None) -> None:
    """The "Re-apply" button: apply the latest render again with force (corrects drift)."""
    render = latest_render(installation)
    if render is None or not installation.cluster_id:
        raise ClusterActionError("There is nothing to apply yet.")
    request_apply(installation, render, force=True, user=user)


# -- apply ---------------------------------------------------------------------------------


def read_manifests(render) -> list[dict]:
    """The objects to apply for `render`: its committed manifests, with each redacted
    Secret swapped for the full one kept encrypted on the Render."""
    objects = []
    for _path, data in render_manifest_files(render).items():
        for doc in yaml.safe_load_all(data):
            if isinstance(doc, dict) and doc.get("kind"):
                objects.append(doc)
    return objects


def current_apply(installation) -> ApplyResult | None:
    return (
        ApplyResult.objects.filter(installation=installation)
        .exclude(state=ApplyResult.State.RUNNING)
        .order_by("-started_at")
        .first()
    )


def _commit_of(render) -> str:
    return render.manifests_sha or render.commit_sha


# -- the cluster claim ---------------------------------------------------------------------

APPLY_RETRY_SECONDS = 30


def _claim_cluster(installation_id: str) -> datetime | None:
    """Claim the installation for a write to its cluster; the claim's time, or None when
    another apply or uninstall holds it (a claim older than the task timeout is free)."""
    now = timezone.now()
    claimed = Installation.objects.filter(
        Q(apply_claimed_at__isnull=True) | Q(apply_claimed_at__lt=now - claim_timeout()),
        pk=installation_id,
    ).update(apply_claimed_at=now)
    if not claimed:
        return None
    # An apply still "running" now belongs to a worker that died holding the claim.
    ApplyResult.objects.filter(
        installation_id=installation_id, state=ApplyResult.State.RUNNING
    ).update(
        state=ApplyResult.State.FAILED,
        message="The worker stopped while applying; what it changed is not recorded.",
        finished_at=now,
    )
    return now


def _release_cluster(installation_id: str, claimed_at: datetime) -> None:
    # Only our own claim: one taken over as stale belongs to the task that took it.
    Installation.objects.filter(pk=installation_id, apply_claimed_at=claimed_at).update(
        apply_claimed_at=None
    )


@contextmanager
def claim_cluster(installation) -> Iterator[None]:
    """Hold the installation's cluster claim for a write done here and now (uninstall).

    ClusterActionError when an apply holds it: the caller shows it and nothing is changed.
    """
    claimed_at = _claim_cluster(installation.pk)
    if claimed_at is None:
        raise ClusterActionError(
            f"{installation.name} is being applied to its cluster right now; nothing was "
            "changed. Try again in a moment."
        )
    try:
        yield
    finally:
        _release_cluster(installation.pk, claimed_at)


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
        claimed_at = _claim_cluster(installation_id)
        if claimed_at is None:
            if force:
                _retry_later(installation_id, render_id, user_id)
            return
        try:
            _apply(installation_id, render_id, force=force, user_id=user_id)
        finally:
            _release_cluster(installation_id, claimed_at)
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
        tasks.enqueue_apply_later(
            installation_id, render_id, APPLY_RETRY_SECONDS, force=True, user_id=user_id
        )


def _unapplied_render(installation_id: str, done: set[str]) -> str | None:
    """The newest render when it has no apply yet and this task has not tried it."""
    installation = Installation.objects.filter(pk=installation_id).first()
    if (
        installation is None
        or installation.state == Installation.State.DELETED
        or installation.cluster_id is None
        or not _has_kubeconfig(installation)
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
    sha = _commit_of(render)
    try:
        objects = read_manifests(render)
    except SensitiveInputError as e:
        set_state(installation, S.FAILED, str(e), render=render)
        return
    previous = current_apply(installation)
    prev_entries = list(previous.inventory.all()) if previous else []
    prev_hashes = {e.ref: e.applied_hash for e in prev_entries if e.applied_hash}
    cluster = installation.cluster
    result = ApplyResult.objects.create(
        installation=installation,
        render=render,
        cluster=cluster,
        namespace=installation.namespace,
        commit_sha=sha,
        force=force,
        requested_by_id=user_id,
    )
    options = ApplyOptions(
        namespace=installation.namespace or "default",
        labels=owner_labels(installation),
        force=force,
    )
    try:
        client = client_for(cluster)
        changes = apply_objects(client, objects, options, prev_hashes)
        desired = {e.ref for e in changes.entries}
        stale = [Stale(e.ref, e.prune_disabled) for e in prev_entries if e.ref not in desired]
        carried = []
        if changes.ok:
            changes.entries += prune(
                client, stale, owner_labels(installation), owner_name=OWNER_NAME
            )
        else:
            carried = stale
    except Unreachable as e:
        # Nothing is known to have changed: the previous apply stays the inventory.
        ApplyResult.objects.filter(pk=result.pk).delete()
        set_state(
            installation,
            S.UNKNOWN,
            f"Could not apply {render.id} to {cluster}: the cluster did not answer: {e.reason}. "
            "Akua applies it when the cluster is back.",
            render=render,
        )
        return
    except ClusterError as e:
        changes = None
        error = str(e)
    else:
        error = ""

    if changes is None:
        _finish_failed_apply(installation, render, result, [], error)
        return

    entries = []
    position = 0
    for entry in changes.entries:
        if entry.action == SKIPPED or entry.action == "deleted":
            continue
        entries.append(
            InventoryEntry(
                apply=result,
                installation=installation,
                position=position,
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
        position += 1
    old = {e.ref: e for e in prev_entries}
    for item in carried:
        prev = old[item.ref]
        entries.append(
            InventoryEntry(
                apply=result,
                installation=installation,
                position=position,
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
        position += 1
    InventoryEntry.objects.bulk_create(entries)
    values = [e.as_dict() for e in changes.entries]
    if not changes.ok:
        error = "\n".join(f"{e.subject}: {e.message}" for e in changes.failed)
        ApplyResult.objects.filter(pk=result.pk).update(entries=values)
        _finish_failed_apply(installation, render, result, values, error, changes.summary())
        return
    summary = changes.summary()
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
        S.SYNCING,
        f"Applied {render.id} to {cluster}: {summary}; reading health",
        render=render,
    )
    check_health(installation, client=client)
    client.close()


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


# -- health --------------------------------------------------------------------------------

_STATE_FOR = {
    HealthStatus.HEALTHY: "healthy",
    HealthStatus.SUSPENDED: "healthy",
    HealthStatus.PROGRESSING: "syncing",
    HealthStatus.MISSING: "degraded",
    HealthStatus.DEGRADED: "degraded",
    HealthStatus.UNKNOWN: "unknown",
}


def installation_state(status: HealthStatus) -> str:
    return _STATE_FOR[status]


def check_health(installation, *, client: KubeClient | None = None) -> str | None:
    """Read the installation's objects; update their health and drift and its state.

    Returns the state it settled on (None when there was nothing to read).
    """
    S = Installation.State
    if installation.state == S.DELETED or installation.cluster_id is None:
        return None
    applied = current_apply(installation)
    if applied is None:
        newest = latest_render(installation)
        if installation.state == S.UNKNOWN and newest is not None:
            request_apply(installation, newest)  # the first apply found the cluster down
        return None
    entries = list(applied.inventory.all())
    now = timezone.now()
    own_client = client is None
    try:
        client = client or client_for(installation.cluster)
        observations = observe(client, [(e.ref, e.applied) for e in entries])
    except Unreachable as e:
        for entry in entries:
            entry.health, entry.health_message, entry.observed_at = (
                HealthStatus.UNKNOWN.value,
                "The cluster did not answer",
                now,
            )
        InventoryEntry.objects.bulk_update(entries, ["health", "health_message", "observed_at"])
        if installation.state not in (S.FAILED, S.RENDERING):
            _set(installation, S.UNKNOWN, f"The cluster did not answer: {e.reason}")
        return S.UNKNOWN
    except ApiError as e:
        if installation.state not in (S.FAILED, S.RENDERING):
            _set(installation, S.UNKNOWN, f"The cluster refused to answer: {e.words}")
        return S.UNKNOWN
    finally:
        if own_client and client is not None:
            client.close()
    for entry, obs in zip(entries, observations, strict=True):
        entry.health, entry.health_message = obs.status.value, obs.message
        entry.drift, entry.observed_at = obs.drift, now
    InventoryEntry.objects.bulk_update(
        entries, ["health", "health_message", "drift", "observed_at"]
    )
    status, message = rollup(observations)
    drifted = [e for e in entries if e.drift]
    if drifted:
        message += (
            f"; {len(drifted)} object{'s' if len(drifted) != 1 else ''} changed outside Akua "
            "(drift): re-apply to correct"
        )
    if installation.state in (S.FAILED, S.RENDERING, S.PENDING):
        return installation.state
    newest = latest_render(installation)
    if newest is not None and (
        applied.render_id != newest.pk or applied.state != ApplyResult.State.APPLIED
    ):
        # the latest render is not applied yet (it was unreachable, or is queued): apply it
        if installation.state == S.UNKNOWN and applied.render_id != newest.pk:
            set_state(
                installation, S.SYNCING, f"The cluster is back; applying {newest.id}", render=newest
            )
            request_apply(installation, newest)
            return S.SYNCING
        if installation.state == S.SYNCING:
            return S.SYNCING
    state = installation_state(status)
    if status == HealthStatus.SUSPENDED:
        message = f"Suspended on purpose: {message}"
    _set(installation, state, message)
    return state


def _set(installation, state: str, reason: str) -> None:
    """A new state is an event (set_state); the same state with a fresher reason is not."""
    if installation.state != state:
        set_state(installation, state, reason)
    elif installation.state_reason != reason:
        # Progress messages ("1 of 2 replicas…") change every few seconds: not timeline events.
        Installation.objects.filter(pk=installation.pk).update(state_reason=reason)
        installation.state_reason = reason


def monitor() -> int:
    """The scheduled pass: read every installation's health, one client per cluster."""
    count = 0
    for cluster in Cluster.objects.all():
        installations = (
            Installation.objects.filter(cluster=cluster)
            .exclude(state=Installation.State.DELETED)
            .select_related("cluster")
        )
        if not installations:
            continue
        try:
            client = client_for(cluster)
        except ClusterError:
            continue
        try:
            for installation in installations:
                try:
                    check_health(installation, client=client)
                except Exception:  # one installation's bug must not stop the others
                    logger.exception("health check of %s failed", installation.pk)
                count += 1
        finally:
            client.close()
    return count


# -- uninstall -----------------------------------------------------------------------------


def uninstall(installation, *, user=None) -> ApplyResult | None:
    """Remove the installation's objects from its cluster (reverse order, namespaces last).

    The caller holds `claim_cluster(installation)` (`actions.delete_installation` does,
    until the installation is marked deleted).

    ClusterActionError when the cluster does not answer or an object cannot be deleted:
    the caller does not mark the installation deleted then.
    """
    applied = current_apply(installation)
    if installation.cluster_id is None or applied is None:
        return None
    entries = list(applied.inventory.all())
    try:
        client = client_for(installation.cluster)
        results = prune(
            client,
            [Stale(e.ref, e.prune_disabled) for e in entries],
            owner_labels(installation),
            owner_name=OWNER_NAME,
            force_all=True,
        )
    except Unreachable as e:
        raise ClusterActionError(
            f"{installation.cluster} did not answer ({e.reason}); nothing was deleted. "
            "Try again when it is back."
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


# -- pods and logs -------------------------------------------------------------------------


def pods(installation) -> list[dict]:
    """The pods of the installation's workloads (by their selectors), as the API returns them."""
    applied = current_apply(installation)
    if applied is None or installation.cluster_id is None:
        return []
    client = client_for(installation.cluster)
    try:
        workloads = applied.inventory.filter(kind__in=WORKLOADS)
        return pods_of(client, [(e.kind, e.namespace, e.name, e.applied) for e in workloads])
    finally:
        client.close()


def pod_log(installation, namespace: str, pod: str, container: str, *, tail: int = 200) -> str:
    """The last `tail` lines of a container's log; refuses pods that are not the installation's."""
    names = {(p["metadata"].get("namespace"), p["metadata"]["name"]) for p in pods(installation)}
    if (namespace, pod) not in names:
        raise ClusterActionError(f"{pod} is not a pod of {installation.name}.")
    client = client_for(installation.cluster)
    try:
        return container_log(client, namespace, pod, container, tail=tail)
    finally:
        client.close()
