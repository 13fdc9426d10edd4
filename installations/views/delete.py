"""Delete an installation: a confirm page (GET: what will be removed, from which cluster)
and the deletion (POST), which calls `installations.actions.delete_installation`.

The action removes the installation's objects from its cluster first; when the cluster does
not answer, or an object cannot be deleted, nothing is marked deleted and the confirm page
says so ("nothing was deleted, try again"). On success the person lands on the dashboard.
The installation's page, history and repository stay, read-only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clusters.actions import ClusterActionError
from installations.access import can_delete_installation, get_installation_for_user
from installations.actions import InstallationError, delete_installation
from installations.deploy.assign import current_apply
from installations.models import Installation


def _get_installation_for_user(request: HttpRequest, installation_id: str) -> Installation:
    inst = get_installation_for_user(request.user, installation_id, include_deleted=True)
    if inst.state == Installation.State.DELETED:
        return inst
    if not can_delete_installation(request.user, inst):
        raise Http404("No such installation")
    return inst


@require_http_methods(["GET", "POST"])
@login_required
def delete(request: HttpRequest, installation_id: str) -> HttpResponse:
    inst = _get_installation_for_user(request, installation_id)
    if inst.state == Installation.State.DELETED:
        messages.info(request, f"{inst.name} is already deleted.")
        return redirect("installation", inst.pk)
    error = ""
    if request.method == "POST":
        try:
            delete_installation(inst, user=request.user)
        except (ClusterActionError, InstallationError) as exc:
            error = str(exc)
            if "nothing was deleted" not in error.lower():
                error += " The installation was not deleted; try again."
        else:
            messages.success(
                request,
                f"Deleted {inst.name}. Its history and repository are kept, read-only.",
            )
            return redirect("dashboard")
    applied = current_apply(inst) if inst.cluster_id else None
    context = {
        "installation": inst,
        "objects": list(applied.inventory.all()) if applied is not None else [],
        "error": error,
    }
    return render(request, "installations/delete.html", context, status=400 if error else 200)
