"""The installation page: state, the render in progress, the last error; polls while reconciling."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseStopPolling

from catalog.versions import versions_newest_first
from installations.access import (
    can_change_installation,
    can_delete_installation,
    get_installation_for_user,
)
from installations.actions import head_version
from installations.models import Installation, Render
from installations.repository import Repository, RepositoryError

ACTIVE_RENDER_STATES = (Render.State.QUEUED, Render.State.RUNNING)


def clone_url(installation: Installation) -> str:
    base = settings.SITE_URL.rstrip("/")
    return f"{base}/git/{installation.customer_workspace.slug}/{installation.pk}.git"


@require_GET
@login_required
@vary_on_headers("HX-Request")
def installation(request: HttpRequest, installation_id: str) -> HttpResponse:
    inst = get_installation_for_user(request, installation_id)  # a deleted one opens read-only
    context = page_context(request, inst)
    if request.htmx:
        html = render_to_string("installations/installation.html#status", context, request)
        if inst.reconciling:
            return HttpResponse(html)
        return HttpResponseStopPolling(html)
    return render(request, "installations/installation.html", context)


def page_context(request: HttpRequest, inst: Installation, **extra) -> dict:
    """The installation page's context; `extra` carries a refused form back (version update)."""
    renders = inst.renders.select_related("requested_by")
    can_change = can_change_installation(request.user, inst)
    head_sha = repository_head(inst)
    context = {
        "installation": inst,
        "deleted": inst.state == Installation.State.DELETED,
        "active_render": renders.filter(state__in=ACTIVE_RENDER_STATES).first(),
        "last_render": renders.exclude(state__in=ACTIVE_RENDER_STATES).first(),
        "head_sha": head_sha,
        "clone_url": clone_url(inst),
        "events": inst.events.select_related("actor", "render")[:10],
        "can_change": can_change,
        "can_delete": can_delete_installation(request.user, inst),
        "versions": version_choices(inst, head_sha) if can_change and not request.htmx else [],
    }
    context.update(extra)
    return context


def version_choices(inst: Installation, head_sha: str = "") -> list[dict]:
    """The package's published versions, newest first, for the "Update version" form.

    `current`: the version that runs (its last successful render); `in_repository`: the
    version an update moved the repository to that has not rendered yet.
    """
    at_head = head_version(inst, head_sha or None) if head_sha else inst.package_version
    return [
        {
            "version": v,
            "current": v.pk == inst.package_version_id,
            "in_repository": v.pk == at_head.pk and at_head.pk != inst.package_version_id,
        }
        for v in versions_newest_first(inst.package_version.package_id)
    ]


def repository_head(inst: Installation) -> str:
    """The head commit of the installation's repository, or "" while it does not exist yet."""
    repo = Repository(inst.repo_path)
    if not repo.exists():
        return ""
    try:
        return repo.head() or ""
    except RepositoryError:
        return ""
