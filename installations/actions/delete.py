"""Deleting an installation: its objects leave the cluster, then it is marked deleted."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from installations.deploy.claims import claim_cluster
from installations.deploy.uninstall import uninstall
from installations.models import Installation, Render
from installations.state import set_state


def delete_installation(installation: Installation, *, user, delete_adopted: bool = False) -> None:
    """Remove its objects from its cluster, then mark deleted: hidden from lists, no more
    renders. The repository is kept for audit (read-only). Objects it adopted stay on the
    cluster unless `delete_adopted` (a person's choice on the delete page). A cluster that
    does not answer stops the deletion (clusters.actions.ClusterActionError, nothing marked
    deleted)."""
    if installation.cluster_id:
        # Held until it is marked deleted, so no apply puts the objects back in between.
        with claim_cluster(installation):
            uninstall(installation, user=user, delete_adopted=delete_adopted)
            _mark_deleted(installation, user)
    else:
        _mark_deleted(installation, user)


def _mark_deleted(installation: Installation, user) -> None:
    with transaction.atomic():
        Render.objects.filter(installation=installation, state=Render.State.QUEUED).update(
            state=Render.State.SUPERSEDED,
            message="Installation deleted",
            finished_at=timezone.now(),
        )
        set_state(installation, Installation.State.DELETED, "Deleted", actor=user)
