"""One write to an installation's cluster at a time.

Each apply (or uninstall) claims the installation (`Installation.apply_claimed_at`) with a
conditional UPDATE, like the render task; a claim older than the task timeout
(`installations.state.claim_timeout`) belongs to a dead worker and is taken over.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from clusters.actions import ClusterActionError
from installations.models import ApplyResult, Installation
from installations.state import claim_timeout


def claim(installation_id: str) -> datetime | None:
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


def release(installation_id: str, claimed_at: datetime) -> None:
    # Only our own claim: one taken over as stale belongs to the task that took it.
    Installation.objects.filter(pk=installation_id, apply_claimed_at=claimed_at).update(
        apply_claimed_at=None
    )


@contextmanager
def claim_cluster(installation) -> Iterator[None]:
    """Hold the installation's cluster claim for a write done here and now (uninstall).

    ClusterActionError when an apply holds it: the caller shows it and nothing is changed.
    """
    claimed_at = claim(installation.pk)
    if claimed_at is None:
        raise ClusterActionError(
            f"{installation.name} is being applied to its cluster right now; nothing was "
            "changed. Try again in a moment."
        )
    try:
        yield
    finally:
        release(installation.pk, claimed_at)
