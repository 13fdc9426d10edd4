"""History: every render of an installation, the manifests diff of any two, and restore.

The diff is part of this page (`?a=<older render>&b=<newer render>`): a plain GET without
JavaScript, an htmx swap of the `diff` partial with it. Without a choice the page shows the
latest change. Restore is a POST that makes a new forward commit with the chosen render's
tree (history is never rewritten) and renders it again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from installations.access import (
    can_change_installation,
    get_installation_for_user,
    get_render_for_user,
)
from installations.actions import ConflictError, InstallationError, restore_render
from installations.diffs import DiffError, diff_renders
from installations.models import Render


@require_GET
@login_required
@vary_on_headers("HX-Request")
def history(request: HttpRequest, installation_id: str) -> HttpResponse:
    inst = get_installation_for_user(request, installation_id)  # a deleted one stays readable
    renders = list(inst.renders.select_related("installation", "requested_by", "restored_from"))
    by_id = {r.pk: r for r in renders}
    with_manifests = [r for r in renders if r.manifests_sha]
    current = next((r for r in renders if r.state == Render.State.DEPLOYED), None)

    a_id, b_id = request.GET.get("a", ""), request.GET.get("b", "")
    a = b = diff = None
    diff_error = ""
    if a_id or b_id:
        a, b = by_id.get(a_id), by_id.get(b_id)
        if a is None or b is None:
            diff_error = "Pick a “from” and a “to” render of this installation to compare."
        elif a.pk == b.pk:
            diff_error = "That is the same render twice; pick two different ones."
    elif len(with_manifests) >= 2:
        b, a = with_manifests[0], with_manifests[1]  # by default: the latest change
    if a is not None and b is not None and not diff_error:
        try:
            diff = diff_renders(a, b)
        except DiffError as exc:
            diff_error = str(exc)

    context = {
        "installation": inst,
        "renders": renders,
        "current": current,
        "a": a,
        "b": b,
        "diff": diff,
        "diff_error": diff_error,
        "can_diff": len(with_manifests) >= 2,
        "can_change": can_change_installation(request.user, inst),
    }
    if request.htmx:
        return render(request, "installations/history.html#diff", context)
    return render(request, "installations/history.html", context)


@require_POST
@login_required
def restore(request: HttpRequest, installation_id: str, render_id: str) -> HttpResponse:
    inst = get_installation_for_user(request, installation_id, write=True)
    rnd = get_render_for_user(request, render_id, installation=inst)
    label = (rnd.manifests_sha or rnd.pk)[:8]
    try:
        restore_render(rnd, user=request.user)
    except (ConflictError, InstallationError) as exc:
        messages.error(request, f"Could not restore {label}: {exc}")
        url = reverse("installation_history", args=[inst.pk])
    else:
        messages.success(
            request, f"Restoring {label}: a new commit with its tree is being rendered."
        )
        url = reverse("installation", args=[inst.pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
