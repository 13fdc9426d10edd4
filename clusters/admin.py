"""Django admin for clusters (identity only until the clusters issue adds kubeconfigs)."""

from django.contrib import admin

from clusters.models import Cluster


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "created_at"]
    list_filter = ["workspace"]
    search_fields = ["name"]
    readonly_fields = ["id", "created_at"]
