"""Who may see and change which installations: the one place views and APIs ask.

A person sees an installation when they are a member of its customer workspace (the
owner) or of the vendor workspace whose package it is — the vendor only while it reaches
that workspace (its own, or a customer that accepted it: `catalog.ties`). Superusers see
everything.

One answer per situation, on every page and partial (`get_installation_for_user`):

- an installation the person may not see (another workspace's id, an unknown id) is a
  404, never a 403, so IDs of other people's installations reveal nothing;
- reading (`write=False`): a deleted installation still opens, read-only (its page,
  history, Source tab, cluster section), for the people who saw it;
- changing (`write=True`) or deleting (`delete=True`) a deleted installation is a 404: it
  is gone for every change;
- a person who sees it but may not change it (a plain member of the vendor workspace), or
  may not delete it (not an owner or admin), gets a 403 that says so: the only place a
  403 is the answer.

Lists (`installations_for_user`) leave deleted installations out unless asked for (the
dashboard shows them apart, under "Deleted").
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from catalog.models import Membership, PackageVersion, VendorTie, Workspace
from catalog.ties import reached_by_vendor, reached_workspaces, reaches
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
        qs = qs.filter(
            Q(customer_workspace__in=member_of) | (Q(workspace__in=member_of) & reached_by_vendor())
        )
    if not include_deleted:
        qs = qs.exclude(state=Installation.State.DELETED)
    return qs


def get_installation_for_user(
    request_or_user, installation_id: str, *, write: bool = False, delete: bool = False
) -> Installation:
    """The installation `installation_id` as the person may use it (see the module's rules).

    Http404 when they may not see it, or it is deleted and `write`/`delete` is asked;
    PermissionDenied (403, with a sentence saying why) when they see it but may not
    change it (`write`) or delete it (`delete`).
    """
    user = _user(request_or_user)
    try:
        installation = installations_for_user(user, include_deleted=True).get(pk=installation_id)
    except Installation.DoesNotExist:
        raise Http404("No such installation") from None
    if not (write or delete):
        return installation
    if installation.state == Installation.State.DELETED:
        raise Http404("No such installation")
    if not can_change_installation(user, installation):
        raise PermissionDenied(
            f"You can see {installation.name} but not change it: ask an owner or admin "
            "of its workspace."
        )
    if delete and not can_delete_installation(user, installation):
        raise PermissionDenied(
            f"You can see {installation.name} but not delete it: only owners and admins "
            "of its workspaces can."
        )
    return installation


def _user(request_or_user):
    return request_or_user.user if isinstance(request_or_user, HttpRequest) else request_or_user


def renders_for_user(user) -> QuerySet[Render]:
    visible = installations_for_user(user, include_deleted=True).values("pk")
    return Render.objects.filter(installation__in=visible).select_related(
        "installation", "requested_by", "restored_from", "package_version"
    )


def get_render_for_user(
    request_or_user, render_id: str, *, installation: Installation | None = None
) -> Render:
    """A render of an installation the person sees (of `installation` when given); Http404
    otherwise. Deciding what may be done with it is the installation's rule."""
    qs = renders_for_user(_user(request_or_user))
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
        | Q(workspace_id=_vendor_if_reached(installation), role__in=_EDIT_ROLES_VENDOR),
        user=user,
    ).exists()


def _vendor_if_reached(installation: Installation) -> str | None:
    """The installation's vendor workspace while it reaches the installation's workspace."""
    if reaches(installation.workspace_id, installation.customer_workspace_id):
        return installation.workspace_id
    return None


def is_owner_or_admin(user, installation: Installation) -> bool:
    """Owner or admin of the customer workspace or of the vendor workspace (or superuser):
    who may delete an installation or decide its change requests."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        Q(workspace_id=installation.customer_workspace_id)
        | Q(workspace_id=_vendor_if_reached(installation)),
        user=user,
        role__in=_EDIT_ROLES_VENDOR,
    ).exists()


def can_delete_installation(user, installation: Installation) -> bool:
    """Delete: owners and admins of either workspace, while it is not deleted already."""
    if installation.state == Installation.State.DELETED:
        return False
    return is_owner_or_admin(user, installation)


def installable_versions_for_user(user) -> QuerySet[PackageVersion]:
    """The package versions a person may install: a vendor's members install its packages;
    a customer's, the packages of the vendors their workspace accepted; superusers everything
    (`is_staff` only opens Django's admin: it crosses no tenant)."""
    versions = PackageVersion.objects.select_related("package__workspace").order_by(
        "package__name", "-published_at"
    )
    if user.is_superuser:
        return versions
    mine = user.workspaces.all()
    accepted = VendorTie.objects.filter(customer__in=mine, state=VendorTie.State.ACCEPTED)
    return versions.filter(
        Q(package__workspace__in=mine.filter(kind=Workspace.Kind.VENDOR))
        | Q(package__workspace__in=accepted.values("vendor_id"))
    )


def target_workspaces_for_user(user, vendor: Workspace) -> QuerySet[Workspace]:
    """The workspaces a person may install `vendor`'s packages into: those the vendor
    reaches (`catalog.ties`) — all of them for the vendor's members and superusers, their own
    for a customer's members."""
    reached = reached_workspaces(vendor)
    if user.is_superuser or user.workspaces.filter(pk=vendor.pk).exists():
        return reached
    return reached.filter(memberships__user=user).distinct()
