"""New direct installation: pick a package version, then go through the install wizard.

The page lists the installable packages as cards, each with a version select (a GET form);
choosing a version redirects to the wizard (`wizard_new_start`). `?form=single` keeps the
older one-page flow: the version select, then a form built from the input schema, POSTed
back here (a POST is always that form).

Who may install what: a member of a vendor workspace installs that vendor's packages for any
customer workspace (the vendor runs the platform for its customers); a member of a customer
workspace installs any published package version into their own customer workspace(s).
Staff may do both for everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jsonschema
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from catalog.models import Package, PackageVersion, Workspace
from installations.actions import create_installation
from installations.forms import ChooseVersionForm, NewInstallationForm, SchemaForm

INPUTS_PREFIX = "inputs"
SINGLE_FORM = "single"


@dataclass
class PackageCard:
    """One package on the "New installation" page: its versions, newest first."""

    package: Package
    versions: list[PackageVersion] = field(default_factory=list)

    @property
    def latest(self) -> PackageVersion:
        return self.versions[0]


def _package_cards(versions: QuerySet[PackageVersion]) -> list[PackageCard]:
    cards: dict[str, PackageCard] = {}
    for pv in versions:
        cards.setdefault(pv.package_id, PackageCard(pv.package)).versions.append(pv)
    return list(cards.values())


def _installable_versions_for_user(user) -> QuerySet[PackageVersion]:
    versions = PackageVersion.objects.select_related("package__workspace").order_by(
        "package__name", "-published_at"
    )
    if user.is_staff or user.workspaces.filter(kind=Workspace.Kind.CUSTOMER).exists():
        return versions
    return versions.filter(
        package__workspace__in=user.workspaces.filter(kind=Workspace.Kind.VENDOR)
    )


def _target_workspaces_for_user(user) -> QuerySet[Workspace]:
    customers = Workspace.objects.filter(kind=Workspace.Kind.CUSTOMER).order_by("name")
    if user.is_staff or user.workspaces.filter(kind=Workspace.Kind.VENDOR).exists():
        return customers
    return customers.filter(Q(memberships__user=user)).distinct()


@require_http_methods(["GET", "POST"])
@login_required
def new_installation(request: HttpRequest) -> HttpResponse:
    versions = _installable_versions_for_user(request.user)
    workspaces = _target_workspaces_for_user(request.user)
    data = request.POST if request.method == "POST" else None
    source = request.POST if request.method == "POST" else request.GET

    chooser = ChooseVersionForm(source or None, versions=versions)
    version = chooser.cleaned_data["package_version"] if chooser.is_valid() else None

    if data is None and request.GET.get("form") != SINGLE_FORM:
        if version is not None:
            return redirect("wizard_new_start", version.pk)
        return render(
            request,
            "installations/new.html",
            {"chooser": chooser, "cards": _package_cards(versions), "single": False},
        )

    form = schema_form = None
    if version is not None:
        form = NewInstallationForm(
            data,
            versions=versions,
            workspaces=workspaces,
            initial={"package_version": version, "customer_workspace": workspaces.first()},
        )
        # A POST for another version than the inputs were filled in for (no-JS switch of
        # the version) starts the inputs afresh instead of validating the wrong fields.
        fresh = data is not None and data.get("inputs_for") != version.pk
        schema_form = SchemaForm(
            version.input_schema, None if fresh else data, prefix=INPUTS_PREFIX
        )
        if data is not None and not fresh:
            form_ok = form.is_valid()
            inputs_ok = schema_form.is_valid()
            if form_ok and inputs_ok:
                try:
                    installation = create_installation(
                        package_version=version,
                        customer_workspace=form.cleaned_data["customer_workspace"],
                        name=form.cleaned_data["name"],
                        inputs=schema_form.cleaned_inputs,
                        user=request.user,
                    )
                except (ValidationError, jsonschema.ValidationError) as exc:
                    _add_action_error(exc, form, schema_form)
                else:
                    return redirect("installation", installation_id=installation.pk)

    context = {
        "chooser": chooser,
        "version": version,
        "form": form,
        "schema_form": schema_form,
        "has_versions": versions.exists(),
        "single": True,
    }
    if request.htmx and request.method == "GET":
        return render(request, "installations/new.html#install-form", context)
    return render(request, "installations/new.html", context)


def _add_action_error(exc: Exception, form: NewInstallationForm, schema_form: SchemaForm) -> None:
    """Errors about the name or workspace go on the install form, the rest on the inputs."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        rest = {}
        for key, errors in exc.error_dict.items():
            if key in form.fields:
                for error in errors:
                    form.add_error(key, error)
            else:
                rest[key] = errors
        if rest:
            schema_form.add_action_error(ValidationError(rest))
        return
    schema_form.add_action_error(exc)
