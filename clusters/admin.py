"""Django admin for clusters. The kubeconfig is never shown."""

from django.contrib import admin
from django.db.models import Q

from akua.admin import WorkspaceScoped
from clusters.access import workspaces_for_user
from clusters.models import Cluster


@admin.register(Cluster)
class ClusterAdmin(WorkspaceScoped, admin.ModelAdmin):
    list_display = ["name", "workspace", "server", "reachable", "server_version", "probed_at"]
    list_filter = [("workspace", admin.RelatedOnlyFieldListFilter), "reachable", "is_emulator"]
    search_fields = ["name", "server"]
    exclude = ["kubeconfig_encrypted"]
    readonly_fields = [
        "id",
        "created_at",
        "context",
        "server",
        "user_name",
        "reachable",
        "unreachable_reason",
        "server_version",
        "api_groups",
        "storage_classes",
        "ingress_classes",
        "node_count",
        "probed_at",
    ]

    def workspace_filter(self, user):
        return Q(workspace__in=workspaces_for_user(user, admin=True))
