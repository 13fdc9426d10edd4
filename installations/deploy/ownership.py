"""An installation's identity on its cluster, and adopting what was there before.

The cluster engine (clusters.ownership) knows owners only as ids. Here:

- `apply_options` gives it the installation's id as the owner (tracking id, owner label,
  field manager `akua-<id>`), the objects it adopted on that cluster, the objects of its
  inventory, and `describe_owner`, which names another owner as a person of this
  installation's workspace may read it: "installation shop (inst_…)" when it is one of
  theirs, "an installation of another workspace" otherwise (a cluster of a vendor's
  workspace may run several customers' installations; their names are theirs);
- `adopt_object` is the person's choice to let the installation manage an object it found
  on the cluster (an `existing` inventory entry): recorded as an `Adoption`, then applied
  (taking its fields over); uninstall leaves adopted objects unless asked to delete them.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import partial

from akua.db import unique_or
from clusters import ownership
from clusters.actions import ClusterActionError
from clusters.apply import ApplyOptions
from installations.deploy.assign import current_apply, latest_render, request_apply
from installations.models import Adoption, Installation


def describe_owner(installation: Installation, other_id: str) -> str:
    other = (
        Installation.objects.filter(pk=other_id)
        .only("name", "customer_workspace_id", "state")
        .first()
    )
    if other is None:
        return f"an owner this Akua does not know ({other_id[:40]})"
    if other.customer_workspace_id != installation.customer_workspace_id:
        return "an installation of another workspace"
    deleted = " (deleted)" if other.state == Installation.State.DELETED else ""
    return f"installation {other.name} ({other.pk}){deleted}"


def adopted_refs(installation: Installation, cluster_id) -> frozenset:
    return frozenset(
        a.ref for a in Adoption.objects.filter(installation=installation, cluster_id=cluster_id)
    )


def apply_options(
    installation: Installation, namespace: str, *, cluster_id, known=(), force=False
) -> ApplyOptions:
    return ApplyOptions(
        namespace=namespace,
        owner=installation.pk,
        force=force,
        adopt=adopted_refs(installation, cluster_id),
        known=frozenset(known),
        describe_owner=partial(describe_owner, installation),
    )


def adopt_object(installation: Installation, subject: str, *, user=None) -> Adoption:
    """Adopt the object `subject` (`Kind/namespace/name`) that the installation's last apply
    found on its cluster and left alone; then apply the latest render, which takes it over.

    ClusterActionError when it is not such an object (already the installation's, another
    installation's, not in the inventory).
    """
    applied = current_apply(installation)
    match = None
    if applied is not None and installation.cluster_id:
        found = applied.inventory.filter(ownership=ownership.EXISTING)
        match = next((e for e in found if e.subject == subject), None)
    if match is None:
        raise ClusterActionError(
            f"{subject} is not an object this installation found on its cluster; nothing "
            "was adopted."
        )
    render = latest_render(installation)
    with unique_or(ClusterActionError(f"{subject} is adopted already.")):
        adoption = Adoption.objects.create(
            installation=installation,
            cluster_id=installation.cluster_id,
            **asdict(match.ref),
            adopted_by=user,
        )
        if render is not None:
            request_apply(installation, render, user=user)
    return adoption
