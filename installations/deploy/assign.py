"""Which render runs where: request an apply, re-apply.

Also the lookups the rest of the deploy side starts from: the render to apply
(`latest_render`), the apply whose objects are on the cluster (`current_apply`) and the
place an apply landed in (`place_of`).

Assigning a cluster and namespace (and moving) is an action: `installations.actions.place`.
"""

from __future__ import annotations

from django.db import transaction

from clusters.actions import ClusterActionError
from clusters.models import Cluster
from installations import enqueue
from installations.models import ApplyResult, Render


def place_changed(installation) -> bool:
    """Whether the installation's cluster or namespace is not where its objects are (a move
    to apply even when the render's manifests are the same)."""
    applied = current_apply(installation)
    return applied is not None and place_of(applied) != (
        installation.cluster_id,
        installation.namespace,
    )


def place_of(applied: ApplyResult) -> tuple:
    """Where an apply landed: (cluster id, namespace)."""
    return applied.cluster_id, applied.namespace


def latest_render(installation):
    """The newest render that produced manifests (deployed, skipped, or failed only at apply)."""
    for render in installation.renders.filter(
        state__in=[Render.State.DEPLOYED, Render.State.SKIPPED, Render.State.FAILED]
    ).order_by("-generation", "-created_at")[:5]:
        if render.manifests_sha or (render.state == Render.State.FAILED and render.commit_sha):
            return render
    return None


def current_apply(installation) -> ApplyResult | None:
    """The last finished apply: its inventory is what the installation has on its cluster."""
    return (
        ApplyResult.objects.filter(installation=installation)
        .exclude(state=ApplyResult.State.RUNNING)
        .order_by("-started_at")
        .first()
    )


def has_kubeconfig(installation) -> bool:
    return (
        Cluster.objects.filter(pk=installation.cluster_id)
        .exclude(kubeconfig_encrypted=b"")
        .exists()
    )


def request_apply(installation, render, *, force: bool = False, user=None) -> None:
    """Enqueue the apply task on commit; nothing for a cluster without a kubeconfig."""
    if not has_kubeconfig(installation):
        return

    render_id, installation_id, user_id = render.pk, installation.pk, getattr(user, "pk", None)
    transaction.on_commit(
        lambda: enqueue.enqueue_apply(installation_id, render_id, force=force, user_id=user_id)
    )


def reapply(installation, *, user=None) -> None:
    """The "Re-apply" button: apply the latest render again with force (corrects drift)."""
    render = latest_render(installation)
    if render is None or not installation.cluster_id:
        raise ClusterActionError("There is nothing to apply yet.")
    request_apply(installation, render, force=True, user=user)
