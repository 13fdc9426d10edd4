"""Health read back into an installation's state; the monitor task's body.

Installation state from health — the decision (docs/clusters.md):

    healthy            -> healthy
    suspended          -> healthy   (paused on purpose; the reason says which objects)
    progressing        -> syncing   (applied, not ready yet)
    missing / degraded -> degraded
    unknown            -> unknown   (the cluster did not answer; never healthy)

`syncing` also while the latest render is not applied yet. A `failed` installation (a
render or an apply failed) stays failed until a new render or re-apply succeeds: the
monitor updates its objects' health but not its state.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from clusters.actions import client_for
from clusters.client import ApiError, ClusterError, KubeClient, Unreachable
from clusters.health import HealthStatus
from clusters.inventory import observe, rollup
from clusters.models import Cluster
from installations.deploy.assign import current_apply, latest_render, request_apply
from installations.models import ApplyResult, Installation, InventoryEntry
from installations.state import set_state

logger = logging.getLogger(__name__)

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
