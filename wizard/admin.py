"""Admin: see drafts (vendor locks and defaults are installations.FieldOverride)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from akua.admin import WorkspaceScoped
from wizard.models import Draft


@admin.register(Draft)
class DraftAdmin(WorkspaceScoped, admin.ModelAdmin):
    """A person's own drafts only (a draft holds what someone typed and did not confirm)."""

    list_display = ["user", "package_version", "installation", "step", "updated_at"]
    readonly_fields = ["user", "package_version", "installation", "data", "step", "updated_at"]
    exclude = ["secrets"]

    def has_add_permission(self, request):
        return False

    def workspace_filter(self, user):
        return Q(user=user)
