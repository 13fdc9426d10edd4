"""Who sees which clusters: members of a cluster's workspace; owners/admins may import.

Workspaces and memberships are catalog's; clusters reaches them through `Cluster.workspace`
(a string foreign key) instead of importing catalog (DESIGN §1: clusters imports packaging
only).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from clusters.models import Cluster

ADMIN_ROLES = ("owner", "admin")  # catalog.Membership.Role.OWNER / ADMIN


def _workspace_model():
    return Cluster._meta.get_field("workspace").related_model


def workspaces_for_user(user, *, admin: bool = False) -> QuerySet:
    Workspace = _workspace_model()
    if user.is_superuser:
        return Workspace.objects.all()
    # one filter() call: the user's own membership must have the role
    mine = (
        Workspace.objects.filter(memberships__user=user, memberships__role__in=ADMIN_ROLES)
        if admin
        else Workspace.objects.filter(memberships__user=user)
    )
    return Workspace.objects.filter(pk__in=mine.values("pk"))


def get_cluster_for_user(user, cluster_id: str) -> Cluster:
    try:
        return Cluster.objects.select_related("workspace").get(
            pk=cluster_id, workspace__in=workspaces_for_user(user)
        )
    except Cluster.DoesNotExist:
        raise Http404("No such cluster") from None


def usable_clusters(user, workspace_ids) -> QuerySet[Cluster]:
    """Clusters with a kubeconfig, of `workspace_ids`, in workspaces `user` belongs to."""
    return Cluster.objects.filter(
        workspace__in=workspaces_for_user(user), workspace_id__in=list(workspace_ids)
    ).exclude(kubeconfig_encrypted=b"")
