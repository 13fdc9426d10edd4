"""Admin for Sources: add and edit them, see upstream versions, generate package versions.

"Generate new version" (catalog_source_generate) is two steps on one page:

1. pick the upstream version, the values to expose and the essentials (a checkbox list of
   the chart's value paths with their type, default and help: a filter box, select all /
   none per subtree and a live count, static/js/generate-values.js; a first generation
   proposes every top-level section) and the package version string;
2. the generation report (`lookup` calls, schema defaults values.yaml overrides) and the
   generated package.k in a textarea, editable (labels, groups, order, widgets,
   `sensitive=True` are `@ui(...)` lines), then "Publish". A refused publish shows the
   error above the same textarea, with the text as it was typed; a package without inputs
   is published only once the vendor confirms it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from akua.admin import PagesAdmin, WorkspaceScoped
from catalog import value_choices
from catalog.actions import (
    NoInputsError,
    PublishError,
    generate_package_version,
    refresh_source,
)
from catalog.generation import GenerationError, generated_files, source_values
from catalog.invitations import managed_workspaces
from catalog.models import Source, Workspace

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class SourceForm(forms.ModelForm):
    chart_file = forms.FileField(
        required=False,
        label="Chart .tgz",
        help_text="For an uploaded chart: the chart archive (as made by `helm package`).",
    )

    class Meta:
        model = Source
        fields = [
            "workspace",
            "name",
            "kind",
            "url",
            "chart",
            "git_ref",
            "path",
            "image",
            "exposed_values",
            "essential_values",
            "ui",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "workspace" in self.fields:  # the admin offers the person's own workspaces
            field = self.fields["workspace"]
            field.queryset = field.queryset.filter(kind=Workspace.Kind.VENDOR)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        need = {
            Source.Kind.HELM_REPO: ("url", "chart"),
            Source.Kind.OCI: ("url",),
            Source.Kind.GIT: ("url",),
            Source.Kind.IMAGE: ("image",),
        }.get(kind, ())
        for name in need:
            if not data.get(name):
                self.add_error(name, f"A {Source.Kind(kind).label} source needs this.")
        if kind == Source.Kind.OCI and not str(data.get("url", "")).startswith("oci://"):
            self.add_error("url", "An OCI reference starts with oci://")
        upload = data.get("chart_file")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            self.add_error("chart_file", "The chart is larger than 50 MB.")
        if (
            kind == Source.Kind.CHART_UPLOAD
            and not upload
            and not (self.instance.pk and self.instance.upload)
        ):
            self.add_error("chart_file", "Upload the chart .tgz.")
        return data

    def save(self, commit=True):
        source = super().save(commit=False)
        upload = self.cleaned_data.get("chart_file")
        if upload:
            source.upload = upload.read()
        if commit:
            source.save()
        return source


@admin.register(Source)
class SourceAdmin(WorkspaceScoped, PagesAdmin):
    pages = {"<str:object_id>/generate/": "generate"}
    form = SourceForm
    list_display = ["name", "workspace", "kind", "latest_upstream", "last_checked_at", "problem"]
    list_filter = ["kind", ("workspace", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "url", "chart", "image"]
    readonly_fields = ["upstream", "last_checked_at", "last_error"]
    actions = ["check_now"]
    change_form_template = "admin/catalog/source/change_form.html"

    def workspace_filter(self, user):
        return Q(workspace__in=managed_workspaces(user))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("workspace").defer("upload")

    @admin.display(description="Latest upstream")
    def latest_upstream(self, obj: Source) -> str:
        versions = obj.upstream_versions or []
        return versions[0] if versions else (obj.upstream_commit[:12] or "—")

    @admin.display(description="Problem")
    def problem(self, obj: Source) -> str:
        return obj.last_error[:80]

    @admin.display(description="Upstream versions")
    def upstream(self, obj: Source) -> str:
        if not obj.pk:
            return "—"
        generated = obj.generated_versions()
        url = reverse("admin:catalog_source_generate", args=[obj.pk])
        rows = []
        refs = list(obj.upstream_versions or [])[:30]
        if obj.upstream_commit:
            refs.insert(0, obj.upstream_commit)
        for ref in refs:
            label = (
                ref[:12] + f" (head of {obj.git_ref or 'default branch'})"
                if ref == obj.upstream_commit
                else ref
            )
            state = "generated" if ref in generated else "new"
            rows.append((label, state, f"{url}?version={ref}"))
        if not rows:
            return "Not checked yet — use “Check upstream now”."
        return format_html(
            "<table><tr><th>Version</th><th></th><th></th></tr>{}</table>",
            format_html_join(
                "",
                '<tr><td><code>{}</code></td><td>{}</td><td><a href="{}">Generate new version</a></td></tr>',
                rows,
            ),
        )

    @admin.action(description="Check upstream now")
    def check_now(self, request, queryset):
        for source in queryset:
            new = refresh_source(source)
            if source.last_error:
                messages.error(request, f"{source.name}: {source.last_error}")
            elif new:
                messages.success(request, f"{source.name}: new upstream {', '.join(new)}")
            else:
                messages.info(request, f"{source.name}: nothing new")

    def generate_view(self, request: HttpRequest, object_id: str):
        if not request.user.has_perm("catalog.add_packageversion"):
            raise PermissionDenied
        source = self.get_queryset(request).filter(pk=object_id).first()
        if source is None:
            raise Http404
        data = request.POST if request.method == "POST" else request.GET
        version_ref = (data.get("version") or "").strip()
        package_version = (data.get("package_version") or "").strip() or _next_version(source)
        chosen = "step" in data
        exposed = data.getlist("exposed") if chosen else list(source.exposed_values or [])
        essentials = data.getlist("essential") if chosen else list(source.essential_values or [])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": source,
            "source": source,
            "title": f"Generate a new version of {source.name}",
            "version_ref": version_ref,
            "package_version": package_version,
            "exposed": exposed,
            "essentials": essentials,
            "versions": ([source.upstream_commit] if source.upstream_commit else [])
            + list(source.upstream_versions or []),
            "errors": [],
            "step": 1,
        }
        # what the vendor chose, for the review and for publishing
        choices = {
            "version_ref": version_ref,
            "package_version": package_version,
            "exposed": exposed,
            "essentials": essentials,
            "ui": source.ui or {},
        }
        step = data.get("step")
        if step == "publish":
            package_k = data.get("package_k", "")
            try:
                version = generate_package_version(
                    source,
                    **choices,
                    user=request.user,
                    package_k=package_k,
                    allow_no_inputs=data.get("confirm_no_inputs") == "1",
                )
            except PublishError as exc:
                context.update(
                    step=2,
                    package_k=package_k,
                    errors=[exc.message],
                    confirm_no_inputs=isinstance(exc, NoInputsError),
                )
            else:
                messages.success(
                    request,
                    f"Published {version.package.name} {version.version} from {version_ref or 'upload'}.",
                )
                return HttpResponseRedirect(
                    reverse("admin:catalog_packageversion_change", args=[quote(version.pk)])
                )
        elif step == "review":
            Source.objects.filter(pk=source.pk).update(
                exposed_values=exposed, essential_values=essentials
            )
            try:
                generated = generated_files(source, **choices)
                context.update(
                    step=2,
                    package_k=generated.files["package.k"].decode("utf-8"),
                    report=generated.report,
                )
            except GenerationError as exc:
                context["errors"] = [exc.message]
        if context["step"] == 1 and (version_ref or source.kind in ("chart_upload", "image")):
            try:
                root = source_values(source, version_ref)
            except GenerationError as exc:
                context["errors"].append(exc.message)
                root = None
            if root is not None:
                if not chosen and not exposed and not source.packages.exists():
                    exposed = value_choices.proposed_exposed(root)
                    essentials = value_choices.proposed_essentials(root)
                    context.update(proposed=True, exposed=exposed, essentials=essentials)
                rows = value_choices.rows(root, exposed, essentials)
                context.update(
                    values=rows,
                    checked_count=sum(1 for r in rows if r.checked),
                )
        return TemplateResponse(request, "admin/catalog/source/generate.html", context)


def _next_version(source: Source) -> str:
    from akua.packaging.fetch.base import newest_first

    versions = [
        v for p in source.packages.all() for v in p.versions.values_list("version", flat=True)
    ]
    if not versions:
        return "1.0.0"
    newest = newest_first(versions)[0]
    parts = newest.split("-")[0].split("+")[0].split(".")
    try:
        return f"{parts[0]}.{parts[1]}.{int(parts[2]) + 1}"
    except (IndexError, ValueError):
        return ""
