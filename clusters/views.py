"""Cluster pages: list, import (kubeconfig), detail with the last probe, "Check now".

The cluster part of an installation's page is the installations app's
(`installations/views/cluster.py`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akua import crypto
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


HELD = "clusters.import.kubeconfig"  # session key: the kubeconfig of an unfinished import


@require_http_methods(["GET", "POST"])
@login_required
def cluster_import(request: HttpRequest) -> HttpResponse:
    """Import a kubeconfig. A kubeconfig is never written back into the page (credentials
    are not echoed: the one exception to "nothing typed is lost"). A refused one is
    dropped; one that was fine while another field was not (the name, the context) is
    held, encrypted, in the session until the import is done."""
    workspaces = list(workspaces_for_user(request.user, admin=True))
    if not workspaces:
        raise Http404("You are not an owner or admin of any workspace")
    held = _held(request) if request.method == "POST" else ""
    if request.method == "GET":
        request.session.pop(HELD, None)
    form = ImportClusterForm(
        request.POST or None, request.FILES or None, workspaces=workspaces, held=held
    )
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
            request.session.pop(HELD, None)
            return redirect("cluster", cluster.pk)
    refused = form.is_bound and "kubeconfig" in form.errors
    text = form.cleaned_data.get("kubeconfig_text", "") if form.is_bound else ""
    if form.is_bound:
        if text and not refused:
            request.session[HELD] = crypto.encrypt(text).decode()
        else:
            request.session.pop(HELD, None)
        form.data = form.data.copy()
        form.data["kubeconfig"] = ""
    return render(
        request,
        "clusters/import.html",
        {"form": form, "held": form.is_bound and bool(text) and not refused, "refused": refused},
    )


def _held(request: HttpRequest) -> str:
    token = request.session.get(HELD)
    if not token:
        return ""
    try:
        return crypto.decrypt(token.encode())
    except crypto.InvalidToken:
        return ""


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
