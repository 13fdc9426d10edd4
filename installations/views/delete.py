"""Delete an installation: a confirm page (GET: what will be removed, from which cluster)
and the deletion (POST), which calls `installations.actions.delete_installation`.

The action removes the installation's objects from its cluster first (what it created; what
it adopted only when the person ticks the box; never what it found and left alone, nor a
chart's CRDs); when the cluster does
not answer, or an object cannot be deleted, nothing is marked deleted and the confirm page
says so ("nothing was deleted, try again"). On success the person lands on the dashboard.
The installation's page, history and repository stay, read-only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clusters.actions import ClusterActionError
from installations.access import get_installation_for_user
from installations.actions import InstallationError, delete_installation
from installations.deploy.assign import current_apply


@require_http_methods(["GET", "POST"])
@login_required
def delete(request: HttpRequest, installation_id: str) -> HttpResponse:
    inst = get_installation_for_user(request, installation_id, delete=True)
    error = ""
    if request.method == "POST":
        try:
            delete_installation(
                inst, user=request.user, delete_adopted=request.POST.get("delete_adopted") == "1"
            )
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
    inventory = list(applied.inventory.all()) if applied is not None else []
    context = {
        "installation": inst,
        "objects": [e for e in inventory if e.ownership in ("owned", "namespace")],
        "adopted": [e for e in inventory if e.ownership == "adopted"],
        "kept": [e for e in inventory if e.ownership in ("existing", "crd")],
        "error": error,
    }
    return render(request, "installations/delete.html", context, status=400 if error else 200)
