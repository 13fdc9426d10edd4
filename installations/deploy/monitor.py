"""Health read back into an installation's state; the monitor task's body.

Installation state from health — the decision (docs/clusters.md):

    healthy            -> healthy
    suspended          -> healthy   (paused on purpose; the reason says which objects)
    progressing        -> syncing   (applied, not ready yet)
    missing / degraded -> degraded
    unknown            -> unknown   (the cluster did not answer; never healthy)

`syncing` also while the latest render is not applied yet, and while what waits for
health runs (post-install/upgrade hooks, removing a moved installation from its old
place: `installations.deploy.after`, sent from here). A `failed` installation (a render or
an apply failed) stays failed until a new render or re-apply succeeds: the monitor
updates its objects' health but not its state.

Drift is read as the API server sees it (clusters.drift: a dry-run apply with the
installation's field manager), for the objects the installation manages (not for those it
found and left alone).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils import timezone

from clusters import ownership
from clusters.actions import client_for
from clusters.client import ApiError, ClusterError, KubeClient, Unreachable
from clusters.health import HealthStatus
from clusters.inventory import observe, rollup
from clusters.models import Cluster
from installations import enqueue
from installations.deploy.assign import (
    current_apply,
    latest_render,
    place_changed,
    request_apply,
)
from installations.deploy.uninstall import unfinished_places
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


@dataclass
class HealthReading:
    """What the cluster says now about an installation's objects. Nothing is written: a
    page shows it as it is, `check_health` (the monitor) records it.

    `entries` are the inventory's rows with `health`, `health_message`, `drift` and
    `observed_at` set in memory. `unreachable`: the cluster did not answer (every entry is
    unknown); `refused`: it answered with an error (entries as last recorded).
    """

    entries: list[InventoryEntry]
    status: HealthStatus
    message: str
    unreachable: bool = False
    refused: bool = False


def read_health(installation, applied: ApplyResult, *, client: KubeClient | None = None):
    """Read the objects of `applied` (the current apply) from the installation's cluster.

    ClusterError (a kubeconfig that cannot be used) is the caller's to show.
    """
    entries = list(applied.inventory.all())
    now = timezone.now()
    own_client = client is None
    try:
        client = client or client_for(applied.cluster)
        managed = (ownership.OWNED, ownership.ADOPTED)
        observations = observe(
            client,
            [(e.ref, e.applied if e.ownership in managed else {}) for e in entries],
            manager=ownership.manager_for(installation.pk),
        )
    except Unreachable as e:
        for entry in entries:
            entry.health, entry.health_message, entry.observed_at = (
                HealthStatus.UNKNOWN.value,
                "The cluster did not answer",
                now,
            )
        message = f"The cluster did not answer: {e.reason}"
        return HealthReading(entries, HealthStatus.UNKNOWN, message, unreachable=True)
    except ApiError as e:
        message = f"The cluster refused to answer: {e.words}"
        return HealthReading(entries, HealthStatus.UNKNOWN, message, refused=True)
    finally:
        if own_client and client is not None:
            client.close()
    for entry, obs in zip(entries, observations, strict=True):
        entry.health, entry.health_message = obs.status.value, obs.message
        entry.drift, entry.observed_at = obs.drift, now
    status, message = rollup(observations)
    drifted = [e for e in entries if e.drift]
    if drifted:
        message += (
            f"; {len(drifted)} object{'s' if len(drifted) != 1 else ''} changed outside Akua "
            "(drift): re-apply to correct"
        )
    return HealthReading(entries, status, message)


def check_health(installation, *, client: KubeClient | None = None) -> str | None:
    """Read the installation's objects (`read_health`); record their health and drift and
    move its state. The monitor task's step for one installation; pages never call it.

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
    if applied.cluster_id != installation.cluster_id:
        client = None  # moving to another cluster: the objects are still where they were
    reading = read_health(installation, applied, client=client)
    if reading.unreachable:
        fields = ["health", "health_message", "observed_at"]
        InventoryEntry.objects.bulk_update(reading.entries, fields)
    if reading.unreachable or reading.refused:
        if installation.state not in (S.FAILED, S.RENDERING):
            _set(installation, S.UNKNOWN, reading.message)
        return S.UNKNOWN
    fields = ["health", "health_message", "drift", "observed_at"]
    InventoryEntry.objects.bulk_update(reading.entries, fields)
    if installation.state in (S.FAILED, S.RENDERING, S.PENDING):
        return installation.state
    newest = latest_render(installation)
    moved = place_changed(installation)  # assigned elsewhere, not applied there yet
    if newest is not None and (
        applied.render_id != newest.pk or applied.state != ApplyResult.State.APPLIED or moved
    ):
        # the latest render is not applied yet (it was unreachable, or is queued): apply it
        if installation.state == S.UNKNOWN and (applied.render_id != newest.pk or moved):
            set_state(
                installation, S.SYNCING, f"The cluster is back; applying {newest.id}", render=newest
            )
            request_apply(installation, newest)
            return S.SYNCING
        if installation.state == S.SYNCING:
            return S.SYNCING
    state = installation_state(reading.status)
    message = reading.message
    if reading.status == HealthStatus.SUSPENDED:
        message = f"Suspended on purpose: {message}"
    AH = ApplyResult.AfterHealthy
    if applied.state == ApplyResult.State.APPLIED and applied.after_healthy in (
        AH.PENDING,
        AH.RUNNING,
    ):
        if state == S.HEALTHY:
            if applied.after_healthy == AH.PENDING:
                _set(installation, S.SYNCING, f"{message}; {_waiting_words(applied)}")
                enqueue.enqueue_finish_apply(applied.pk)
            return S.SYNCING
        old = unfinished_places(applied)
        if old:
            message += (
                "; it keeps running in "
                + ", ".join(f"{p.cluster} (namespace {p.namespace})" for p in old)
                + " until it is healthy here"
            )
    _set(installation, state, message)
    return state


def _waiting_words(applied: ApplyResult) -> str:
    """What a healthy installation still waits for, for its state reason."""
    parts = [f"post-{applied.event or 'install'} hooks (if any) run next"]
    places = unfinished_places(applied)
    if places:
        parts.append(
            "then it is removed from "
            + ", ".join(f"{p.cluster} (namespace {p.namespace})" for p in places)
        )
    return "; ".join(parts)


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
