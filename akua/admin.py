"""What the apps' admin pages share."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
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


class WorkspaceScoped:
    """A ModelAdmin mixin: a person who is not a superuser sees, changes and picks only the
    rows of their own workspaces (DESIGN §10: Django's admin crosses no tenant).

    Each admin says which rows with `workspace_filter(user)`: a `Q` or a queryset of the
    model (e.g. `installations.access.installations_for_user`). The change list, change and
    delete pages, actions and history all start from `get_queryset`, so another tenant's
    row is "doesn't exist" there; inlines list their parent's rows. A foreign key to a model
    whose admin is scoped offers only what that admin shows this person."""

    def workspace_filter(self, user):
        raise NotImplementedError(f"{type(self).__name__} must say whose rows a person sees")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        rows = self.workspace_filter(request.user)
        if isinstance(rows, Q):
            return qs.filter(rows)
        return qs.filter(pk__in=rows.values("pk"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = self.admin_site._registry.get(db_field.remote_field.model)
        if (
            "queryset" not in kwargs
            and isinstance(related, WorkspaceScoped)
            and not request.user.is_superuser
        ):
            kwargs["queryset"] = related.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
