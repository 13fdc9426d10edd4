"""The cluster section of an installation's page: assignment and moving, objects (health,
drift, whose they are), the last apply, pods; Re-apply; adopting an object found on the
cluster; a container's log (followed with htmx)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseStopPolling

from clusters.access import usable_clusters
from clusters.actions import ClusterActionError
from clusters.client import ClusterError
from clusters.forms import AssignClusterForm
from clusters.models import Cluster
from installations.access import can_change_installation, get_installation_for_user
from installations.actions import assign_cluster
from installations.deploy import assign, monitor, pods
from installations.deploy.ownership import adopt_object
from installations.models import Adoption, Installation

FRESH = timedelta(seconds=5)


def _clusters_for_installation(user, installation) -> QuerySet[Cluster]:
    """Clusters of the installation's customer or vendor workspace that `user` belongs to."""
    return usable_clusters(user, [installation.customer_workspace_id, installation.workspace_id])


@require_GET
@login_required
@vary_on_headers("HX-Request")
def installation_cluster(request: HttpRequest, installation_id: str) -> HttpResponse:
    """The cluster section: assignment, objects (health, drift), the last apply, pods.

    Someone is looking, so health older than FRESH is read from the cluster now and shown
    as read; nothing is written (a GET never changes state): the monitor task records
    health and moves the installation's state.
    """
    inst = get_installation_for_user(request, installation_id)
    deleted = inst.state == Installation.State.DELETED  # read-only: its objects are gone
    applied = assign.current_apply(inst)
    entries = list(applied.inventory.all()) if applied else []
    health, health_error = None, ""
    if applied is not None and inst.cluster_id and not deleted and _stale(entries):
        try:
            health = monitor.read_health(inst, applied)
        except ClusterError as e:
            health_error = str(e)
        else:
            entries = health.entries
    pod_list, pods_error = [], ""
    if inst.cluster_id and applied is not None and not deleted and request.GET.get("pods") != "0":
        try:
            pod_list = pods.pods(inst)
        except ClusterError as e:
            pods_error = str(e)
    can_change = can_change_installation(request.user, inst)
    adoptions = {
        a.subject: a
        for a in Adoption.objects.filter(installation=inst).select_related("adopted_by")
    }
    for entry in entries:
        entry.adoption = adoptions.get(entry.subject) if entry.ownership == "adopted" else None
    context = {
        "installation": inst,
        "apply": applied,
        "last_apply": inst.applies.first(),
        "entries": entries,
        "health": health,
        "health_error": health_error,
        "drifted": [e for e in entries if e.drift],
        "found": [e for e in entries if e.ownership == "existing"],
        "pods": [_pod_view(p) for p in pod_list],
        "pods_error": pods_error,
        "can_change": can_change,
        "assign_form": AssignClusterForm(
            initial={"cluster": inst.cluster_id, "namespace": inst.namespace or inst.name.lower()},
            clusters=_clusters_for_installation(request.user, inst),
        )
        if can_change
        else None,
        "moving": applied is not None and inst.cluster_id is not None,
    }
    template = "installations/cluster.html" if request.htmx else "installations/cluster_page.html"
    return render(request, template, context)


def _stale(entries) -> bool:
    """Whether the recorded health of `entries` is older than FRESH (or was never read)."""
    read = [e.observed_at for e in entries]
    return bool(entries) and (None in read or timezone.now() - min(read) > FRESH)


def _pod_view(pod: dict) -> dict:
    meta, status = pod.get("metadata") or {}, pod.get("status") or {}
    statuses = {c["name"]: c for c in status.get("containerStatuses") or []}
    containers = []
    for c in (pod.get("spec") or {}).get("containers") or []:
        st = statuses.get(c["name"], {})
        state = next(iter((st.get("state") or {}).items()), ("", {}))
        containers.append(
            {
                "name": c["name"],
                "image": c.get("image", ""),
                "ready": st.get("ready", False),
                "state": state[0],
                "reason": state[1].get("reason", ""),
                "restarts": st.get("restartCount", 0),
            }
        )
    return {
        "name": meta.get("name"),
        "namespace": meta.get("namespace"),
        "phase": status.get("phase", ""),
        "containers": containers,
    }


@require_POST
@login_required
def installation_assign(request: HttpRequest, installation_id: str) -> HttpResponse:
    inst = get_installation_for_user(request, installation_id, write=True)
    form = AssignClusterForm(request.POST, clusters=_clusters_for_installation(request.user, inst))
    if form.is_valid():
        try:
            assign_cluster(
                inst,
                form.cleaned_data["cluster"],
                form.cleaned_data["namespace"],
                user=request.user,
            )
            messages.success(request, f"Assigned to {form.cleaned_data['cluster']}; applying.")
        except ClusterActionError as e:
            messages.error(request, str(e))
    else:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("installation", inst.pk)


@require_POST
@login_required
def installation_adopt(request: HttpRequest, installation_id: str) -> HttpResponse:
    """A person chooses to let the installation manage an object it found on the cluster."""
    inst = get_installation_for_user(request, installation_id, write=True)
    subject = request.POST.get("subject", "")[:600]
    try:
        adopt_object(inst, subject, user=request.user)
        messages.success(request, f"Adopting {subject}: Akua applies it as part of {inst.name}.")
    except ClusterActionError as e:
        messages.error(request, str(e))
    return redirect("installation", inst.pk)


@require_POST
@login_required
def installation_reapply(request: HttpRequest, installation_id: str) -> HttpResponse:
    inst = get_installation_for_user(request, installation_id, write=True)
    try:
        assign.reapply(inst, user=request.user)
        messages.success(request, "Re-applying the latest render (taking back changed fields).")
    except ClusterActionError as e:
        messages.error(request, str(e))
    return redirect("installation", inst.pk)


@require_GET
@login_required
@vary_on_headers("HX-Request")
def installation_logs(request: HttpRequest, installation_id: str) -> HttpResponse:
    """A container's log tail; with `follow=1` the partial polls itself every 2 s."""
    inst = get_installation_for_user(request, installation_id)
    namespace, pod = request.GET.get("namespace", ""), request.GET.get("pod", "")
    container = request.GET.get("container", "")
    follow = request.GET.get("follow") == "1"
    try:
        tail = max(1, min(int(request.GET.get("tail", "200")), 5000))
    except ValueError:
        tail = 200
    try:
        text = pods.pod_log(inst, namespace, pod, container, tail=tail)
    except (ClusterActionError, ClusterError) as e:
        text, follow = f"(no log: {e})", False
    context = {
        "installation": inst,
        "namespace": namespace,
        "pod": pod,
        "container": container,
        "tail": tail,
        "follow": follow,
        "log": text,
    }
    if request.htmx:
        html = render(request, "installations/logs.html#log", context)
        return html if follow else HttpResponseStopPolling(html.content)
    return render(request, "installations/logs.html", context)
