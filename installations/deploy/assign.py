"""Which render runs where: assign a cluster and namespace, request an apply, re-apply.

Also the two lookups the rest of the deploy side starts from: the render to apply
(`latest_render`) and the apply whose objects are on the cluster (`current_apply`).
"""

from __future__ import annotations

from django.db import transaction

from clusters.actions import ClusterActionError
from clusters.models import Cluster
from installations import enqueue
from installations.models import ApplyResult, Installation, Render
from installations.state import set_state


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
