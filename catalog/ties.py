"""Which workspaces a vendor reaches: the one rule every door asks (DESIGN §10).

A vendor's packages are installed only into the vendor's own workspace or into a customer
workspace that accepted the vendor (a `VendorTie` in state accepted: an invitation the
customer accepted, or a purchase). The same rule says which installations a vendor's
people see, open and clone (`installations.access`, git tokens): those of its packages in
the workspaces it reaches. A customer who declines or ends the tie takes that away; what
is installed keeps running and stays the customer's.

Read-only questions here; the changes (invite, accept, decline, purchase) are
`catalog.invitations`.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from catalog.models import VendorTie, Workspace


def reached_workspaces(vendor: Workspace) -> QuerySet[Workspace]:
    """The workspaces `vendor`'s packages may be installed into: its customers' (by name),
    then its own."""
    accepted = VendorTie.objects.filter(vendor=vendor, state=VendorTie.State.ACCEPTED)
    return Workspace.objects.filter(
        Q(pk=vendor.pk) | Q(kind=Workspace.Kind.CUSTOMER, pk__in=accepted.values("customer_id"))
    ).order_by("kind", "name")  # "customer" before "vendor"


def reaches(vendor_id: str, workspace_id: str) -> bool:
    """Whether the vendor `vendor_id` reaches the workspace `workspace_id`."""
    if vendor_id == workspace_id:
        return True
    return VendorTie.objects.filter(
        vendor_id=vendor_id,
        customer_id=workspace_id,
        customer__kind=Workspace.Kind.CUSTOMER,
        state=VendorTie.State.ACCEPTED,
    ).exists()


def reached_by_vendor(vendor_field: str = "workspace", workspace_field: str = "customer_workspace"):
    """A queryset condition: the row's vendor (`vendor_field`) reaches its workspace
    (`workspace_field`) — for installations, `Installation.workspace` and
    `customer_workspace`."""
    accepted = VendorTie.objects.filter(
        vendor=OuterRef(vendor_field),
        customer=OuterRef(workspace_field),
        customer__kind=Workspace.Kind.CUSTOMER,
        state=VendorTie.State.ACCEPTED,
    )
    return Q(**{workspace_field: F(vendor_field)}) | Q(Exists(accepted))


def install_refusal(vendor: Workspace, workspace: Workspace) -> str:
    """Why `vendor`'s packages may not be installed into `workspace`, or "" when they may."""
    if vendor.pk == workspace.pk:
        return ""
    if workspace.kind != Workspace.Kind.CUSTOMER:
        return (
            f"{workspace.name} is another vendor's workspace: {vendor.name}'s packages are "
            f"installed only into {vendor.name} or into customer workspaces that accepted "
            f"{vendor.name}."
        )
    if reaches(vendor.pk, workspace.pk):
        return ""
    tie = VendorTie.objects.filter(vendor=vendor, customer=workspace).first()
    state = {
        None: "has not been invited by",
        VendorTie.State.INVITED: "has not accepted the invitation of",
        VendorTie.State.DECLINED: "declined",
    }.get(tie and tie.state)
    return (
        f"{workspace.name} {state} {vendor.name}: {vendor.name}'s packages are installed "
        "only into customer workspaces that accepted its invitation."
    )
