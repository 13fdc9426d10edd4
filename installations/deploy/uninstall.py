"""Uninstall: the installation's objects removed from its cluster."""

from __future__ import annotations

from django.utils import timezone

from clusters.actions import ClusterActionError, client_for
from clusters.apply import FAILED
from clusters.client import Unreachable
from clusters.prune import Stale, prune
from installations.deploy.apply import OWNER_NAME, owner_labels
from installations.deploy.assign import current_apply
from installations.models import ApplyResult


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
    client = client_for(installation.cluster)
    try:
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
    finally:
        client.close()
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
