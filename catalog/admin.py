"""Django admin for vendors: workspaces (with their ties), packages, and publishing immutable
package versions."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from akua.admin import PagesAdmin, ReadOnlyInline, WorkspaceScoped
from catalog.actions import PublishError, publish_package_version
from catalog.invitations import InvitationError, decline, managed_workspaces
from catalog.models import Membership, Package, PackageVersion, VendorTie, Workspace

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class _TieInline(ReadOnlyInline):
    """A workspace's ties, read-only: they change by invitation and answer (catalog.invitations)."""

    model = VendorTie
    fields = ["vendor", "customer", "state", "origin", "invited_by", "invited_at", "decided_at"]
    show_change_link = True


class CustomerTieInline(_TieInline):
    fk_name = "vendor"
    verbose_name = verbose_name_plural = "customers (ties of this vendor)"


class VendorTieInline(_TieInline):
    fk_name = "customer"
    verbose_name = verbose_name_plural = "vendors (ties of this customer)"


@admin.register(Workspace)
class WorkspaceAdmin(WorkspaceScoped, admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, CustomerTieInline, VendorTieInline]

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is None:
            return [i for i in inlines if isinstance(i, MembershipInline)]
        other = VendorTieInline if obj.kind == Workspace.Kind.VENDOR else CustomerTieInline
        return [i for i in inlines if not isinstance(i, other)]

    def workspace_filter(self, user):
        return Q(pk__in=managed_workspaces(user))


@admin.register(VendorTie)
class VendorTieAdmin(WorkspaceScoped, admin.ModelAdmin):
    """Ties between vendors and customers. The platform admin sees them all and may end one
    (decline, as the customer would); they are made by invitation or purchase, not here.
    Anyone else sees the ties of the workspaces they manage."""

    list_display = ["vendor", "customer", "state", "origin", "invited_at", "decided_at"]
    list_filter = ["state", "origin", ("vendor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["vendor__name", "vendor__slug", "customer__name", "customer__slug"]
    list_select_related = ["vendor", "customer"]
    fields = [
        "id",
        "vendor",
        "customer",
        "state",
        "origin",
        "invited_by",
        "invited_at",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields
    actions = ["end_ties"]

    def workspace_filter(self, user):
        managed = managed_workspaces(user)
        return Q(vendor__in=managed) | Q(customer__in=managed)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="End the selected ties (declined, as by the customer)")
    def end_ties(self, request, queryset):
        ended = 0
        for tie in queryset.exclude(state=VendorTie.State.DECLINED):
            try:
                decline(tie, user=request.user)
            except InvitationError as exc:
                messages.error(request, str(exc))
            else:
                ended += 1
        messages.success(request, f"Ended {ended} tie{'s' if ended != 1 else ''}.")


class PackageVersionInline(admin.TabularInline):
    model = PackageVersion
    fields = ["version", "digest", "published_by", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Package)
class PackageAdmin(WorkspaceScoped, admin.ModelAdmin):
    list_display = ["name", "workspace", "latest_version", "created_at"]
    list_filter = [("workspace", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "description"]
    readonly_fields = ["id", "created_at"]
    inlines = [PackageVersionInline]

    def workspace_filter(self, user):
        return Q(workspace__in=managed_workspaces(user))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("workspace")

    @admin.display(description="Latest version")
    def latest_version(self, obj: Package) -> str:
        latest = obj.versions.order_by("-published_at").first()
        return latest.version if latest else "—"


class PublishForm(forms.Form):
    workspace = forms.ModelChoiceField(
        queryset=Workspace.objects.none(),
        help_text="The vendor workspace that owns the package.",
    )
    archive = forms.FileField(
        required=False,
        label="Package archive (.tgz)",
        help_text="A .tar.gz of the package directory (akua.toml, package.k, upstream/, …).",
    )
    directory = forms.CharField(
        required=False,
        label="…or a directory on the server",
        help_text="An absolute path readable by the Akua server.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workspace"].queryset = managed_workspaces(user).filter(
            kind=Workspace.Kind.VENDOR
        )

    def clean(self):
        data = super().clean()
        has_archive, has_dir = bool(data.get("archive")), bool(data.get("directory"))
        if has_archive == has_dir:
            raise forms.ValidationError(
                "Upload a .tgz or give a directory, not both and not neither."
            )
        if has_archive and data["archive"].size > MAX_UPLOAD_BYTES:
            self.add_error("archive", f"The archive is larger than {MAX_UPLOAD_BYTES // 2**20} MB.")
        if has_dir and not Path(data["directory"]).is_dir():
            self.add_error("directory", "No such directory on the server.")
        return data


@admin.register(PackageVersion)
class PackageVersionAdmin(WorkspaceScoped, PagesAdmin):
    """Read-only: versions are immutable; new ones come from the publish form."""

    pages = {"publish/": "publish", "<str:object_id>/download/": "download"}

    list_display = ["__str__", "package", "version", "short_digest", "published_by", "published_at"]
    list_filter = [
        ("package__workspace", admin.RelatedOnlyFieldListFilter),
        ("package", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["package__name", "version"]
    fields = [
        "id",
        "package",
        "version",
        "digest",
        "published_by",
        "published_at",
        "readme",
        "input_schema",
        "download",
    ]
    readonly_fields = fields
    change_list_template = "admin/catalog/packageversion/change_list.html"

    def workspace_filter(self, user):
        return Q(package__workspace__in=managed_workspaces(user))

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("package", "published_by").defer("archive")
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Digest")
    def short_digest(self, obj: PackageVersion) -> str:
        return obj.digest[:19] + "…"

    @admin.display(description="Archive")
    def download(self, obj: PackageVersion) -> str:
        url = reverse("admin:catalog_packageversion_download", args=[obj.pk])
        return format_html('<a href="{}">{}-{}.tgz</a>', url, obj.package.name, obj.version)

    def publish_view(self, request: HttpRequest):
        if not request.user.has_perm("catalog.add_packageversion"):
            raise PermissionDenied
        form = PublishForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            source = data["archive"].read() if data.get("archive") else data["directory"]
            try:
                version = publish_package_version(data["workspace"], source, user=request.user)
            except PublishError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Published {version.package.name} {version.version}.")
                return HttpResponseRedirect(
                    reverse("admin:catalog_packageversion_change", args=[quote(version.pk)])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Publish a package version",
            "form": form,
        }
        return TemplateResponse(request, "admin/catalog/packageversion/publish.html", context)

    def download_view(self, request: HttpRequest, object_id: str):
        version = self.get_queryset(request).filter(pk=object_id).first()
        if version is None or not self.has_view_permission(request, version):
            raise Http404
        response = HttpResponse(bytes(version.archive), content_type="application/gzip")
        response["Content-Disposition"] = (
            f'attachment; filename="{version.package.name}-{version.version}.tgz"'
        )
        return response


from catalog import admin_sources  # noqa: E402,F401  (Source admin, generation flow)
