"""Django admin for vendors: installations (with links to history and repository), renders,
applies to clusters, and locks and defaults of inputs (FieldOverride)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.html import format_html

from akua.admin import ReadOnlyInline, WorkspaceScoped
from catalog.invitations import managed_workspaces
from clusters.access import usable_clusters
from clusters.actions import ClusterActionError
from installations import actions
from installations.access import (
    can_change_installation,
    can_delete_installation,
    installations_for_user,
)
from installations.models import (
    ApplyResult,
    FieldOverride,
    Installation,
    InstallationEvent,
    InventoryEntry,
    Render,
)


class RenderInline(ReadOnlyInline):
    model = Render
    fields = ["id", "state", "trigger", "short_commit", "render_hash", "message", "created_at"]
    show_change_link = True
    ordering = ["-created_at"]

    @admin.display(description="Commit")
    def short_commit(self, obj: Render) -> str:
        return obj.commit_sha[:7]


class EventInline(ReadOnlyInline):
    model = InstallationEvent
    fields = ["created_at", "from_state", "to_state", "reason", "render", "actor"]
    ordering = ["-created_at"]


@admin.register(Installation)
class InstallationAdmin(WorkspaceScoped, admin.ModelAdmin):
    """Who sees, changes and deletes which installation: `installations.access`, as on the
    installation pages (a vendor's people: its packages in the workspaces it reaches)."""

    list_display = [
        "name",
        "customer_workspace",
        "package_version",
        "state",
        "reconciling",
        "cluster",
        "history_link",
        "created_at",
    ]
    list_filter = [
        "state",
        "reconciling",
        ("workspace", admin.RelatedOnlyFieldListFilter),
        ("customer_workspace", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["id", "name", "customer_workspace__name", "package_version__package__name"]
    list_select_related = ["customer_workspace", "package_version__package", "cluster"]
    fields = [
        "id",
        "name",
        "workspace",
        "customer_workspace",
        "package_version",
        "cluster",
        "namespace",
        "auto_update",
        "state",
        "state_reason",
        "reconciling",
        "render_generation",
        "render_claimed_at",
        "history_link",
        "repository",
        "created_by",
        "created_at",
        "updated_at",
    ]
    # State, version and repository change through actions (inputs editor, restore,
    # rollouts), never by editing the row; only cluster, namespace and auto-update are here,
    # and a new cluster or namespace goes through `assign_cluster` (a move: a commit of
    # installation.yaml, applied in the new place, removed from the old once healthy).
    readonly_fields = [f for f in fields if f not in ("cluster", "namespace", "auto_update")]
    inlines = [RenderInline, EventInline]
    actions = ["rerender", "update_to_newest"]

    def workspace_filter(self, user):
        return installations_for_user(user, include_deleted=True)

    def has_add_permission(self, request) -> bool:
        return False  # created with the dashboard, `manage.py create_installation` or checkout

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_change_installation(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        if obj is None or request.user.is_superuser:
            return allowed
        return allowed and can_delete_installation(request.user, obj)

    def get_form(self, request, obj=None, **kwargs):
        """A new cluster is one of the installation's customer or vendor workspace that the
        person belongs to, as on the installation's page."""
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "cluster" in form.base_fields and not request.user.is_superuser:
            form.base_fields["cluster"].queryset = usable_clusters(
                request.user, [obj.customer_workspace_id, obj.workspace_id]
            )
        return form

    def save_model(self, request, obj, form, change):
        """A new cluster or namespace moves the installation (`actions.assign_cluster`)."""
        if not change or not {"cluster", "namespace"} & set(form.changed_data):
            return super().save_model(request, obj, form, change)
        cluster, namespace = obj.cluster, obj.namespace
        old = Installation.objects.get(pk=obj.pk)
        obj.cluster, obj.namespace = old.cluster, old.namespace  # the action moves it
        super().save_model(request, obj, form, change)
        if cluster is None:
            messages.error(
                request,
                f"{obj.name} was not taken off {old.cluster}: delete the installation to "
                "remove it from its cluster.",
            )
            return
        try:
            actions.assign_cluster(obj, cluster, namespace or old.namespace, user=request.user)
        except ClusterActionError as exc:
            messages.error(request, f"{obj.name} was not moved: {exc}")
            return
        messages.success(
            request, f"{obj.name}: moving to {cluster} (namespace {namespace or old.namespace})."
        )

    @admin.display(description="History")
    def history_link(self, obj: Installation) -> str:
        return format_html('<a href="/installations/{}/history/">history</a>', obj.pk)

    @admin.display(description="Repository")
    def repository(self, obj: Installation) -> str:
        return format_html("<code>{}</code>", obj.repo_path)

    @admin.action(description="Re-render the selected installations")
    def rerender(self, request, queryset):
        count = 0
        for installation in queryset.exclude(state=Installation.State.DELETED):
            if not can_change_installation(request.user, installation):
                messages.error(request, f"{installation.name}: you may not change it.")
                continue
            actions.request_render(installation, trigger=Render.Trigger.MANUAL, user=request.user)
            count += 1
        messages.success(request, f"Queued {count} render{'s' if count != 1 else ''}.")

    @admin.action(description="Update to the newest version of its package")
    def update_to_newest(self, request, queryset):
        """One message per installation: updating (render queued), already there, or why not."""
        for installation in queryset.select_related("package_version__package"):
            name = f"{installation.name} ({installation.pk})"
            if installation.state == Installation.State.DELETED:
                messages.warning(request, f"{name}: deleted; not updated.")
                continue
            if not can_change_installation(request.user, installation):
                messages.error(request, f"{name}: you may not change it.")
                continue
            old = installation.package_version
            try:
                newest, render = actions.update_to_newest(installation, user=request.user)
            except (actions.InstallationError, actions.ConflictError) as exc:
                messages.error(request, f"{name}: not updated: {exc}")
                continue
            if render is None:
                messages.info(request, f"{name}: already at the newest version {newest.version}.")
            else:
                messages.success(
                    request,
                    f"{name}: updating {old.package.name} {old.version} -> {newest.version}; "
                    f"render {render.pk} queued.",
                )


@admin.register(Render)
class RenderAdmin(WorkspaceScoped, admin.ModelAdmin):
    """Read-only: a Render is a record of what happened."""

    list_display = [
        "id",
        "installation",
        "state",
        "trigger",
        "short_commit",
        "author_name",
        "created_at",
    ]
    list_filter = ["state", "trigger"]
    search_fields = ["id", "installation__id", "installation__name", "commit_sha", "render_hash"]
    list_select_related = ["installation"]

    def workspace_filter(self, user):
        return Q(installation__in=installations_for_user(user, include_deleted=True))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Commit")
    def short_commit(self, obj: Render) -> str:
        return obj.commit_sha[:7]


class InventoryInline(admin.TabularInline):
    model = InventoryEntry
    extra = 0
    fields = ["kind", "namespace", "name", "action", "health", "health_message"]
    readonly_fields = fields
    can_delete = False


@admin.register(ApplyResult)
class ApplyResultAdmin(WorkspaceScoped, admin.ModelAdmin):
    list_display = ["id", "installation", "render", "cluster", "state", "started_at"]
    list_filter = ["state", ("cluster", admin.RelatedOnlyFieldListFilter)]
    readonly_fields = [f.name for f in ApplyResult._meta.fields]
    inlines = [InventoryInline]

    def workspace_filter(self, user):
        return Q(installation__in=installations_for_user(user, include_deleted=True))


@admin.register(FieldOverride)
class FieldOverrideAdmin(WorkspaceScoped, admin.ModelAdmin):
    """Locks and defaults of the packages of the vendor workspaces the person manages."""

    list_display = ["field", "package", "installation", "locked", "has_value", "value"]
    list_filter = ["locked", ("package", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["field", "package__name", "installation__name"]
    autocomplete_fields = []
    raw_id_fields = ["installation"]
    fieldsets = [
        (None, {"fields": ["package", "installation", "field"]}),
        (
            "What the customer's form does",
            {
                "fields": ["locked", "has_value", "value"],
                "description": "Locked: shown read-only with a lock, and a change is refused "
                "wherever it comes from (the wizard, inputs.yaml typed there or pushed with "
                "git, a change request, a version update). With a value: the default of new "
                "forms (or, when locked, the fixed value).",
            },
        ),
    ]

    def workspace_filter(self, user):
        return Q(package__workspace__in=managed_workspaces(user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """An installation: one the person sees, of a package of a workspace they manage."""
        if db_field.name == "installation" and not request.user.is_superuser:
            kwargs["queryset"] = installations_for_user(request.user, include_deleted=True).filter(
                workspace__in=managed_workspaces(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
