"""Who may see and change which installations: the one place views and APIs ask.

A person sees an installation when they are a member of its customer workspace (the
owner) or of the vendor workspace whose package it is. Anybody else gets a 404, never a
403, so IDs of other people's installations reveal nothing. Superusers see everything.

A deleted installation is left out of lists (the dashboard shows it apart, under
"Deleted") and out of every page that changes something; the read-only pages (the
installation page, history, Source tab) ask with `include_deleted=True`, so its members
can still read what it was.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from catalog.models import Membership
from installations.models import Installation, Render

_EDIT_ROLES_VENDOR = (Membership.Role.OWNER, Membership.Role.ADMIN)


def installations_for_user(user, *, include_deleted: bool = False) -> QuerySet[Installation]:
    if not getattr(user, "is_authenticated", False):
        return Installation.objects.none()
    qs = Installation.objects.select_related(
        "package_version__package", "customer_workspace", "workspace", "cluster"
    )
    if not user.is_superuser:
        member_of = Membership.objects.filter(user=user).values("workspace_id")
        qs = qs.filter(Q(customer_workspace__in=member_of) | Q(workspace__in=member_of))
    if not include_deleted:
        qs = qs.exclude(state=Installation.State.DELETED)
    return qs


def get_installation_for_user(
    user, installation_id: str, *, include_deleted: bool = False
) -> Installation:
    try:
        return installations_for_user(user, include_deleted=include_deleted).get(pk=installation_id)
    except Installation.DoesNotExist:
        raise Http404("No such installation") from None


def renders_for_user(user) -> QuerySet[Render]:
    visible = installations_for_user(user, include_deleted=True).values("pk")
    return Render.objects.filter(installation__in=visible).select_related(
        "installation", "requested_by", "restored_from", "package_version"
    )


def get_render_for_user(
    user, render_id: str, *, installation: Installation | None = None
) -> Render:
    qs = renders_for_user(user)
    if installation is not None:
        qs = qs.filter(installation=installation)
    try:
        return qs.get(pk=render_id)
    except Render.DoesNotExist:
        raise Http404("No such render") from None


def can_change_installation(user, installation: Installation) -> bool:
    """Edit inputs, re-render, restore, update the version: customer members, vendor owners
    and admins. Nobody changes a deleted installation: its page and repository are read-only."""
    if not getattr(user, "is_authenticated", False):
        return False
    if installation.state == Installation.State.DELETED:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        Q(workspace_id=installation.customer_workspace_id)
        | Q(workspace_id=installation.workspace_id, role__in=_EDIT_ROLES_VENDOR),
        user=user,
    ).exists()


def is_owner_or_admin(user, installation: Installation) -> bool:
    """Owner or admin of the customer workspace or of the vendor workspace (or superuser):
    who may delete an installation or decide its change requests."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        Q(workspace_id=installation.customer_workspace_id)
        | Q(workspace_id=installation.workspace_id),
        user=user,
        role__in=_EDIT_ROLES_VENDOR,
    ).exists()


def can_delete_installation(user, installation: Installation) -> bool:
    """Delete: owners and admins of either workspace, while it is not deleted already."""
    if installation.state == Installation.State.DELETED:
        return False
    return is_owner_or_admin(user, installation)
