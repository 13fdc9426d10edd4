"""What the apps' admin pages share."""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """Rows that change elsewhere (by an action or a task) listed under their parent: shown
    with the `fields` the subclass names, never added, edited or deleted here."""

    extra = 0
    max_num = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields
