"""What the apps' admin pages share."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path


class ReadOnlyInline(admin.TabularInline):
    """Rows that change elsewhere (by an action or a task) listed under their parent: shown
    with the `fields` the subclass names, never added, edited or deleted here."""

    extra = 0
    max_num = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class PagesAdmin(admin.ModelAdmin):
    """A ModelAdmin with pages of its own, before the standard ones: `pages` maps a route to
    a page name; the page is the method `<name>_view`, behind the admin's login
    (`admin_view`), and its URL is named `<app>_<model>_<name>`, as the admin names its
    own (`admin:catalog_source_generate`)."""

    pages: dict[str, str] = {}

    def get_urls(self):
        opts = self.model._meta
        own = [
            path(
                route,
                self.admin_site.admin_view(getattr(self, f"{name}_view")),
                name=f"{opts.app_label}_{opts.model_name}_{name}",
            )
            for route, name in self.pages.items()
        ]
        return own + super().get_urls()
