"""What waits until an apply's objects are healthy: the `post-install`/`post-upgrade` Helm
hooks, and removing the installation from the place it moved from.

The monitor (`deploy.monitor.check_health`) finds the objects healthy, keeps the
installation `syncing` and sends `installations.tasks.finish_apply` (`enqueue`); the task
claims the installation like an apply, runs the post hooks (bounded waits, progress as the
state reason; a failed hook fails the installation with the hook's message and leaves the
old place running) and then removes the old place's objects (not those now applied in the
new place on the same cluster), adds what it did to the apply's change set and reads
health again. An apply that is no longer the current one leaves its work to the newer
apply, which carries the unfinished move (`deploy.apply._previous_place`).
"""

from __future__ import annotations

import yaml

from clusters import hooks
from clusters.actions import client_for
from clusters.apply import FAILED
from clusters.client import ClusterError
from installations.deploy import claims
from installations.deploy.apply import hook_options, read_manifests
from installations.deploy.assign import current_apply
from installations.deploy.monitor import check_health
from installations.deploy.ownership import apply_options
from installations.deploy.uninstall import remove_place, unfinished_places
from installations.models import ApplyResult, Installation
from installations.sensitive import SensitiveInputError
from installations.state import set_state

AH = ApplyResult.AfterHealthy


def finish_apply(apply_id: str) -> None:
    """Body of `installations.tasks.finish_apply`; safe to send twice (one runs)."""
    if not ApplyResult.objects.filter(pk=apply_id, after_healthy=AH.PENDING).update(
        after_healthy=AH.RUNNING
    ):
        return
    applied = ApplyResult.objects.select_related(
        "installation", "cluster", "render", "previous_place"
    ).get(pk=apply_id)
    installation = applied.installation
    claimed_at = claims.claim(installation.pk)
    if claimed_at is None:  # an apply runs: the monitor sends this again when it is done
        ApplyResult.objects.filter(pk=apply_id).update(after_healthy=AH.PENDING)
        return
    outcome = AH.FAILED
    try:
        current = current_apply(installation)
        if current is None or current.pk != applied.pk:
            outcome = AH.DONE  # a newer apply carries on
            return
        outcome = _finish(installation, applied)
    except Exception:
        outcome = AH.PENDING  # tried again on the next health check
        raise
    finally:
        ApplyResult.objects.filter(pk=apply_id).update(after_healthy=outcome)
        claims.release(installation.pk, claimed_at)
    if outcome == AH.DONE:
        installation.refresh_from_db()
        check_health(installation)


def _finish(installation: Installation, applied: ApplyResult) -> str:
    entries = []
    try:
        entries += _post_hooks(installation, applied)
        if any(e.action == FAILED for e in entries):
            failed = next(e for e in entries if e.action == FAILED)
            _add_entries(applied, entries)
            where = _old_places_words(applied)
            set_state(
                installation,
                Installation.State.FAILED,
                f"{failed.message}" + (f". {where} keeps running." if where else ""),
                render=applied.render,
            )
            return AH.FAILED
        keep = frozenset(e.ref for e in applied.inventory.all())
        for place in unfinished_places(applied):
            same_cluster = place.cluster_id == applied.cluster_id
            removed = remove_place(installation, place, keep=keep if same_cluster else frozenset())
            for entry in removed:
                entry.message = f"{entry.message} (moved away from {place.cluster}, namespace {place.namespace})"
            entries += removed
    except ClusterError as e:
        _add_entries(applied, entries)
        set_state(
            installation,
            installation.state,
            f"{installation.state_reason}; finishing the apply failed: {e}; it is tried again",
        )
        return AH.PENDING
    _add_entries(applied, entries)
    if any(e.action == FAILED for e in entries):
        failed = [e for e in entries if e.action == FAILED]
        set_state(
            installation,
            Installation.State.DEGRADED,
            "Could not remove it from the place it moved from: "
            + "; ".join(f"{e.subject}: {e.message}" for e in failed[:3])
            + ". Re-apply to try again.",
            render=applied.render,
        )
        return AH.FAILED
    return AH.DONE


def _post_hooks(installation, applied) -> list:
    if applied.render is None:
        return []
    try:
        objects = read_manifests(applied.render)
    except (SensitiveInputError, yaml.YAMLError):
        return []
    phase = f"post-{applied.event or 'install'}"
    found = hooks.for_phase(hooks.split(objects)[1], phase)
    if not found:
        return []
    set_state(
        installation,
        Installation.State.SYNCING,
        f"All objects are healthy; running {len(found)} {phase} hook{'s' if len(found) != 1 else ''}",
        render=applied.render,
    )
    known = [e.ref for e in applied.inventory.all()]
    options = apply_options(
        installation, applied.namespace, cluster_id=applied.cluster_id, known=known
    )
    client = client_for(applied.cluster)
    try:
        return hooks.run(client, found, phase, options, hook_options(installation))
    finally:
        client.close()


def _add_entries(applied: ApplyResult, entries) -> None:
    if entries:
        applied.refresh_from_db(fields=["entries"])
        ApplyResult.objects.filter(pk=applied.pk).update(
            entries=applied.entries + [e.as_dict() for e in entries]
        )


def _old_places_words(applied: ApplyResult) -> str:
    places = unfinished_places(applied)
    return "; ".join(f"Its previous place ({p.cluster}, namespace {p.namespace})" for p in places)
