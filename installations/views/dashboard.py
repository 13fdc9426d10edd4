"""The dashboard: every installation the signed-in user can see, with its state and last render;
deleted ones apart, under a "Deleted" heading."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from installations.access import installations_for_user
from installations.models import Installation, Render


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    last = Render.objects.filter(installation=OuterRef("pk")).order_by("-created_at")
    installations = (
        installations_for_user(request.user)
        .select_related("package_version__package", "customer_workspace")
        .annotate(
            last_render_state=Subquery(last.values("state")[:1]),
            last_render_at=Subquery(last.values("created_at")[:1]),
            last_render_trigger=Subquery(last.values("trigger")[:1]),
        )
        .order_by("customer_workspace__name", "name")
    )
    # Deleted ones are not in the list; they sit apart under "Deleted" (read-only pages).
    deleted = (
        installations_for_user(request.user, include_deleted=True)
        .filter(state=Installation.State.DELETED)
        .order_by("-updated_at")
    )
    return render(
        request,
        "installations/dashboard.html",
        {"installations": installations, "deleted": deleted},
    )
