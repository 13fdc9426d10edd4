"""Ties between a vendor and a customer workspace change here: invite, accept, decline, buy.

- an owner or admin of a vendor workspace invites a customer workspace (by its slug);
  inviting again after a decline asks again;
- an owner or admin of the customer workspace accepts or declines; declining an accepted
  tie ends it (the vendor no longer installs there nor sees what it installed);
- a purchase (the marketplace, later) creates the tie accepted (`tie_for_purchase`).

Each raises InvitationError with a sentence for the person when the change is not allowed.
The rule that reads the ties is `catalog.ties`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from akua.db import unique_or
from catalog.models import Membership, VendorTie, Workspace

_DECIDERS = (Membership.Role.OWNER, Membership.Role.ADMIN)


class InvitationError(Exception):
    """A tie cannot change this way; the message says why, for the person who asked."""


def can_manage(user, workspace: Workspace) -> bool:
    """Owners and admins of `workspace` (and superusers) invite for it or decide for it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or managed_workspaces(user).filter(pk=workspace.pk).exists()


def managed_workspaces(user):
    """The workspaces `user` is an owner or admin of (superusers: all of them)."""
    if user.is_superuser:
        return Workspace.objects.all()
    return Workspace.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=_DECIDERS).values("workspace_id")
    )


def invite(vendor: Workspace, customer_slug: str, *, user) -> VendorTie:
    """Invite the customer workspace `customer_slug` to accept `vendor`."""
    if vendor.kind != Workspace.Kind.VENDOR:
        raise InvitationError(f"{vendor.name} is not a vendor workspace.")
    if not can_manage(user, vendor):
        raise InvitationError(f"Only owners and admins of {vendor.name} invite customers.")
    slug = (customer_slug or "").strip()
    customer = Workspace.objects.filter(slug=slug, kind=Workspace.Kind.CUSTOMER).first()
    if customer is None:
        raise InvitationError(f"There is no customer workspace {slug!r}; check its slug.")
    with transaction.atomic():
        tie = VendorTie.objects.select_for_update().filter(vendor=vendor, customer=customer).first()
        if tie is not None and tie.state == VendorTie.State.ACCEPTED:
            raise InvitationError(f"{customer.name} has accepted {vendor.name} already.")
        if tie is not None and tie.state == VendorTie.State.INVITED:
            raise InvitationError(f"{customer.name} is invited already; it has not answered yet.")
        if tie is None:
            # invited at the same moment by someone else
            with unique_or(InvitationError(f"{customer.name} is invited already.")):
                return VendorTie.objects.create(vendor=vendor, customer=customer, invited_by=user)
        tie.state = VendorTie.State.INVITED
        tie.origin = VendorTie.Origin.INVITATION
        tie.invited_by, tie.invited_at = user, timezone.now()
        tie.decided_by = tie.decided_at = None
        tie.save()
        return tie


def accept(tie: VendorTie, *, user) -> VendorTie:
    """The customer accepts the vendor's invitation."""
    return _decide(tie, VendorTie.State.ACCEPTED, user=user, allowed=(VendorTie.State.INVITED,))


def decline(tie: VendorTie, *, user) -> VendorTie:
    """The customer declines an invitation, or ends an accepted tie."""
    return _decide(
        tie,
        VendorTie.State.DECLINED,
        user=user,
        allowed=(VendorTie.State.INVITED, VendorTie.State.ACCEPTED),
    )


def _decide(tie: VendorTie, state: str, *, user, allowed: tuple[str, ...]) -> VendorTie:
    if not can_manage(user, tie.customer):
        raise InvitationError(f"Only owners and admins of {tie.customer.name} decide this.")
    changed = VendorTie.objects.filter(pk=tie.pk, state__in=allowed).update(
        state=state, decided_by=user, decided_at=timezone.now()
    )
    tie.refresh_from_db()
    if not changed:
        raise InvitationError(
            f"{tie.vendor.name}'s invitation is {tie.get_state_display().lower()} already."
        )
    return tie


def tie_for_purchase(vendor: Workspace, customer: Workspace, *, user=None) -> VendorTie:
    """A customer bought one of `vendor`'s products: the tie is accepted by that purchase
    (a declined or pending one too — buying is the customer's consent)."""
    if vendor.kind != Workspace.Kind.VENDOR or customer.kind != Workspace.Kind.CUSTOMER:
        raise InvitationError("A purchase ties a vendor workspace to a customer workspace.")
    now = timezone.now()
    tie, created = VendorTie.objects.get_or_create(
        vendor=vendor,
        customer=customer,
        defaults={
            "state": VendorTie.State.ACCEPTED,
            "origin": VendorTie.Origin.PURCHASE,
            "decided_by": user,
            "decided_at": now,
        },
    )
    if not created and tie.state != VendorTie.State.ACCEPTED:
        VendorTie.objects.filter(pk=tie.pk).update(
            state=VendorTie.State.ACCEPTED,
            origin=VendorTie.Origin.PURCHASE,
            decided_by=user,
            decided_at=now,
        )
        tie.refresh_from_db()
    return tie
