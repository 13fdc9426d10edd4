"""New installation: pick a package version, then fill its inputs in the wizard.

The page lists the installable packages as cards, each with a version select (a GET form);
choosing a version redirects to the wizard (`wizard_new_start`). `?form=single` is the same
choice as one select, leading to the wizard's one-page mode (`wizard_new_page`); with htmx
the select answers as soon as it changes (a client-side redirect).

Who may install what: `installations.access.installable_versions_for_user` and
`target_workspaces_for_user`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from catalog.models import Package, PackageVersion
from installations.access import installable_versions_for_user
from installations.forms import ChooseVersionForm

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


@require_GET
@login_required
@vary_on_headers("HX-Request")
def new_installation(request: HttpRequest) -> HttpResponse:
    versions = installable_versions_for_user(request.user)
    single = request.GET.get("form") == SINGLE_FORM
    chooser = ChooseVersionForm(
        request.GET if "package_version" in request.GET else None, versions=versions
    )
    if chooser.is_valid():
        version = chooser.cleaned_data["package_version"]
        target = reverse("wizard_new_page" if single else "wizard_new_start", args=[version.pk])
        return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    context = {"chooser": chooser, "single": single, "has_versions": versions.exists()}
    if not single:
        context["cards"] = _package_cards(versions)
    return render(request, "installations/new.html", context)
