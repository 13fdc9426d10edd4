"""Cluster pages: list, import (kubeconfig), detail with the last probe, "Check now".

The cluster part of an installation's page is the installations app's
(`installations/views/cluster.py`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusters import actions
from clusters.access import get_cluster_for_user, workspaces_for_user
from clusters.forms import ImportClusterForm
from clusters.models import Cluster


@require_GET
@login_required
def clusters(request: HttpRequest) -> HttpResponse:
    items = Cluster.objects.filter(workspace__in=workspaces_for_user(request.user)).select_related(
        "workspace"
    )
    can_import = workspaces_for_user(request.user, admin=True).exists()
    return render(request, "clusters/clusters.html", {"clusters": items, "can_import": can_import})


@require_http_methods(["GET", "POST"])
@login_required
def cluster_import(request: HttpRequest) -> HttpResponse:
    workspaces = list(workspaces_for_user(request.user, admin=True))
    if not workspaces:
        raise Http404("You are not an owner or admin of any workspace")
    form = ImportClusterForm(request.POST or None, request.FILES or None, workspaces=workspaces)
    if request.method == "POST" and form.is_valid():
        workspace = next(w for w in workspaces if w.slug == form.cleaned_data["workspace"])
        try:
            cluster = actions.import_cluster(
                workspace=workspace,
                name=form.cleaned_data["name"],
                kubeconfig_text=form.cleaned_data["kubeconfig_text"],
                context=form.cleaned_data["context"],
                user=request.user,
            )
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("cluster", cluster.pk)
    # the pasted kubeconfig is never echoed back into the page
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["kubeconfig"] = (
            form.cleaned_data.get("kubeconfig_text", "") if form.contexts else ""
        )
    return render(request, "clusters/import.html", {"form": form})


@require_GET
@login_required
def cluster(request: HttpRequest, cluster_id: str) -> HttpResponse:
    item = get_cluster_for_user(request.user, cluster_id)
    installations = item.installations.exclude(state="deleted").select_related("customer_workspace")
    return render(
        request, "clusters/cluster.html", {"cluster": item, "installations": installations}
    )


@require_POST
@login_required
def cluster_probe(request: HttpRequest, cluster_id: str) -> HttpResponse:
    item = get_cluster_for_user(request.user, cluster_id)
    actions.probe_cluster(item)
    return redirect("cluster", item.pk)
