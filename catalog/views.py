"""Workspace pages: your workspaces, a vendor's customers (invite), a customer's vendors
(accept, decline).

A workspace someone is not a member of is a 404 (superusers see every one); the changes are
`catalog.invitations`, which say who may make them.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akua.http import first_or_404
from catalog import invitations
from catalog.models import VendorTie, Workspace


def _workspaces_for_user(user):
    qs = Workspace.objects.all() if user.is_superuser else user.workspaces.all()
    return qs.order_by("name")


def _get_workspace_for_user(request: HttpRequest, slug: str, kind: str) -> Workspace:
    return first_or_404(
        _workspaces_for_user(request.user).filter(slug=slug, kind=kind), "workspace"
    )


def _get_tie_for_user(request: HttpRequest, slug: str, tie_id: str) -> VendorTie:
    customer = _get_workspace_for_user(request, slug, Workspace.Kind.CUSTOMER)
    return first_or_404(
        VendorTie.objects.select_related("vendor", "customer").filter(customer=customer, pk=tie_id),
        "invitation",
    )


@require_GET
@login_required
def workspaces(request: HttpRequest) -> HttpResponse:
    """Your workspaces, each with its ties: a vendor's customers, a customer's vendors."""
    items = _workspaces_for_user(request.user).annotate(
        customers=Count("customer_ties", filter=Q(customer_ties__state=VendorTie.State.ACCEPTED)),
        vendors=Count("vendor_ties", filter=Q(vendor_ties__state=VendorTie.State.ACCEPTED)),
        invitations=Count("vendor_ties", filter=Q(vendor_ties__state=VendorTie.State.INVITED)),
    )
    return render(request, "catalog/workspaces.html", {"workspaces": items})


class InviteForm(forms.Form):
    customer = forms.SlugField(
        label="Customer workspace",
        max_length=50,
        help_text="Its slug, as in its clone URLs (ask the customer).",
    )


@require_http_methods(["GET", "POST"])
@login_required
def customers(request: HttpRequest, slug: str) -> HttpResponse:
    """A vendor's customers: who accepted, who is invited, who declined; invite another."""
    vendor = _get_workspace_for_user(request, slug, Workspace.Kind.VENDOR)
    can_invite = invitations.can_manage(request.user, vendor)
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                tie = invitations.invite(vendor, form.cleaned_data["customer"], user=request.user)
            except invitations.InvitationError as exc:
                form.add_error("customer", str(exc))
            else:
                messages.success(
                    request, f"{tie.customer.name} is invited; it accepts on its Vendors page."
                )
                return redirect("workspace_customers", slug=vendor.slug)
        status = 422
    ties = VendorTie.objects.filter(vendor=vendor).select_related(
        "customer", "invited_by", "decided_by"
    )
    context = {"workspace": vendor, "ties": ties, "form": form, "can_invite": can_invite}
    return render(request, "catalog/customers.html", context, status=status)


@require_GET
@login_required
def vendors(request: HttpRequest, slug: str) -> HttpResponse:
    """A customer's vendors: invitations to answer, vendors accepted (who may install here
    and see what they installed), vendors declined."""
    customer = _get_workspace_for_user(request, slug, Workspace.Kind.CUSTOMER)
    ties = VendorTie.objects.filter(customer=customer).select_related(
        "vendor", "invited_by", "decided_by"
    )
    context = {
        "workspace": customer,
        "ties": ties,
        "can_decide": invitations.can_manage(request.user, customer),
    }
    return render(request, "catalog/vendors.html", context)


@require_POST
@login_required
def tie_decide(request: HttpRequest, slug: str, tie_id: str, decision: str) -> HttpResponse:
    """Accept or decline an invitation (declining an accepted one ends it)."""
    tie = _get_tie_for_user(request, slug, tie_id)
    decide = invitations.accept if decision == "accept" else invitations.decline
    try:
        decide(tie, user=request.user)
    except invitations.InvitationError as exc:
        messages.error(request, str(exc))
    else:
        if tie.state == VendorTie.State.ACCEPTED:
            note = f"{tie.vendor.name} may now install into {tie.customer.name}."
        else:
            note = (
                f"Declined {tie.vendor.name}: it installs nothing more into {tie.customer.name} "
                "and no longer sees what it installed here."
            )
        messages.success(request, note)
    return redirect("workspace_vendors", slug=tie.customer.slug)
