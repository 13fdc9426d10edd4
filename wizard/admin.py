"""Admin for vendors: lock inputs and set per-installation defaults; see drafts."""

from __future__ import annotations

from django.contrib import admin

from wizard.models import Draft, FieldOverride


@admin.register(FieldOverride)
class FieldOverrideAdmin(admin.ModelAdmin):
    list_display = ["field", "package", "installation", "locked", "has_value", "value"]
    list_filter = ["locked", "package"]
    search_fields = ["field", "package__name", "installation__name"]
    autocomplete_fields = []
    raw_id_fields = ["installation"]
    fieldsets = [
        (None, {"fields": ["package", "installation", "field"]}),
        (
            "What the customer's form does",
            {
                "fields": ["locked", "has_value", "value"],
                "description": "Locked: shown read-only with a lock and refused if changed. "
                "With a value: the default of new forms (or, when locked, the fixed value).",
            },
        ),
    ]


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["user", "package_version", "installation", "step", "updated_at"]
    readonly_fields = ["user", "package_version", "installation", "data", "step", "updated_at"]
    exclude = ["secrets"]

    def has_add_permission(self, request):
        return False
