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

from installations.access import can_change_installation, get_installation_for_user
from installations.models import Installation, Render
from installations.repository import Repository, RepositoryError

ACTIVE_RENDER_STATES = (Render.State.QUEUED, Render.State.RUNNING)


def _get_installation_for_user(request: HttpRequest, installation_id: str) -> Installation:
    return get_installation_for_user(request.user, installation_id)


def clone_url(installation: Installation) -> str:
    base = settings.SITE_URL.rstrip("/")
    return f"{base}/git/{installation.customer_workspace.slug}/{installation.pk}.git"


@require_GET
@login_required
@vary_on_headers("HX-Request")
def installation(request: HttpRequest, installation_id: str) -> HttpResponse:
    inst = _get_installation_for_user(request, installation_id)
    renders = inst.renders.select_related("requested_by")
    context = {
        "installation": inst,
        "active_render": renders.filter(state__in=ACTIVE_RENDER_STATES).first(),
        "last_render": renders.exclude(state__in=ACTIVE_RENDER_STATES).first(),
        "head_sha": repository_head(inst),
        "clone_url": clone_url(inst),
        "events": inst.events.select_related("actor", "render")[:10],
        "can_change": can_change_installation(request.user, inst),
    }
    if request.htmx:
        html = render_to_string("installations/installation.html#status", context, request)
        if inst.reconciling:
            return HttpResponse(html)
        return HttpResponseStopPolling(html)
    return render(request, "installations/installation.html", context)


def repository_head(inst: Installation) -> str:
    """The head commit of the installation's repository, or "" while it does not exist yet."""
    repo = Repository(inst.repo_path)
    if not repo.exists():
        return ""
    try:
        return repo.head() or ""
    except RepositoryError:
        return ""
