"""Admin: see drafts (vendor locks and defaults are installations.FieldOverride)."""

from __future__ import annotations

from django.contrib import admin

from wizard.models import Draft


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["user", "package_version", "installation", "step", "updated_at"]
    readonly_fields = ["user", "package_version", "installation", "data", "step", "updated_at"]
    exclude = ["secrets"]

    def has_add_permission(self, request):
        return False
