"""Where an installation runs: assign a cluster and namespace, or move it to others.

The namespace lives in the repository (installation.yaml, `installations.landing`): a new
namespace is a commit by the person who chose it, rendered and then applied. The cluster is
the installation's row: a kubeconfig belongs to a workspace, not to a tree anyone with a
read token can clone. Moving an installation that runs somewhere is the same steps: the
apply in the new place (`installations.deploy.apply`) leaves the old place running until
the new one is healthy, then removes it (`installations.deploy.after`); a failure stops
there with the reason, and the old place keeps running.
"""

from __future__ import annotations

from akua.packaging.target import Target, namespace_problem
from clusters.actions import ClusterActionError
from clusters.models import Cluster
from installations.actions.head import author_for, repository
from installations.actions.request import request_render
from installations.deploy.assign import current_apply, latest_render, request_apply
from installations.landing import target_at, target_file
from installations.models import Installation, Render
from installations.repository import ConflictError
from installations.state import set_state


def assign_cluster(installation, cluster: Cluster, namespace: str, *, user=None) -> None:
    """Run `installation` on `cluster` in `namespace` (created when missing), then apply.

    A namespace other than the one installation.yaml names is committed first (by `user`)
    and rendered; the apply follows the render. An installation that runs somewhere else
    moves: applied in the new place, removed from the old one once the new one is healthy.
    """
    if problem := namespace_problem(namespace):
        raise ClusterActionError(problem[:1].upper() + problem[1:] + ".")
    if installation.state == Installation.State.DELETED:
        raise ClusterActionError(f"{installation.name} is deleted.")
    repo = repository(installation)
    head = repo.head()
    target = target_at(installation, repo, head)
    running = current_apply(installation) is not None
    where = "Moving" if running else "Assigned"
    moved_from = f" from {installation.cluster} ({installation.namespace})" if running else ""
    if head is not None and target.namespace != namespace:
        new = Target(release=target.release, namespace=namespace)
        try:
            repo.commit_files(
                target_file(new),
                f"{'Move' if running else 'Land'} in namespace {namespace} on {cluster}"
                f"\n\ninstallation.yaml: namespace {target.namespace} -> {namespace}.",
                author=author_for(user),
                parent=head,
            )
        except ConflictError:
            raise ClusterActionError(
                "The repository changed while assigning; nothing was committed. Try again."
            ) from None
        _place(installation, cluster, namespace)
        request_render(installation, trigger=Render.Trigger.MANUAL, user=user)
        return
    _place(installation, cluster, namespace)
    render = latest_render(installation)
    if render is None:
        return
    set_state(
        installation,
        Installation.State.SYNCING,
        f"{where}{moved_from} to {cluster} (namespace {namespace}); applying {render.id}",
        render=render,
        actor=user,
    )
    request_apply(installation, render, user=user)


def _place(installation, cluster, namespace) -> None:
    Installation.objects.filter(pk=installation.pk).update(cluster=cluster, namespace=namespace)
    installation.cluster, installation.namespace = cluster, namespace
