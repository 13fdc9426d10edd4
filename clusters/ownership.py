"""Who an object on a cluster belongs to, read before every apply (as Argo CD's tracking id).

Every object Akua creates for an owner (an installation; the engine knows only an opaque id)
carries

- the annotation `akua.dev/tracking-id: <owner>:<group>/<kind>:<namespace>/<name>`: the
  owner, tied to the object's own identity, so a copy of the object made by hand (another
  name or namespace) does not pass for the owner's;
- the label `akua.dev/installation: <owner>`, for selecting (`kubectl get -l`);
- the labels `app.kubernetes.io/managed-by: akua`;

and is written with the owner's own field manager (`manager_for`), so the API server
itself refuses one owner's apply over another's fields.

`owner_of(live)` reads the tracking id (for objects Akua applied before tracking ids
existed: the label, when the caller vouches that the object is in the owner's inventory).
`Claim` is what the apply decides for one object:

| live object | decision |
|---|---|
| absent | create it as the owner's (`owned`) |
| the owner's | apply it (`owned`, or `adopted` when a person adopted it) |
| another owner's | refuse: a conflict that names that owner, nothing changed |
| not Akua's (existed before) | leave it, report it (`existing`), adopt it only when a person chose to |
| a chart's CRD (`akua.dev/helm-crd`) | create it when absent, never change or delete it (`crd`) |
"""

from __future__ import annotations

from dataclasses import dataclass

from clusters.client import ObjectRef

TRACKING_ANNOTATION = "akua.dev/tracking-id"
OWNER_LABEL = "akua.dev/installation"
MANAGED_BY = "app.kubernetes.io/managed-by"
HELM_CRD_ANNOTATION = "akua.dev/helm-crd"  # set by akua.packaging.engines.helm on crds/
LEGACY_MANAGER = "akua"  # the one field manager every installation shared before

# InventoryEntry.ownership values
OWNED, ADOPTED, EXISTING, CRD, NAMESPACE = "owned", "adopted", "existing", "crd", "namespace"


def manager_for(owner: str) -> str:
    """The field manager of `owner`'s applies (at most 128 characters, as the API allows)."""
    return f"akua-{owner}"[:128] if owner else LEGACY_MANAGER


def tracking_id(owner: str, ref: ObjectRef) -> str:
    group = ref.api_version.rpartition("/")[0]
    return f"{owner}:{group}/{ref.kind}:{ref.namespace}/{ref.name}"


def _meta(obj: dict) -> dict:
    meta = obj.get("metadata")
    return meta if isinstance(meta, dict) else {}


def annotations(obj: dict) -> dict:
    value = _meta(obj).get("annotations")
    return value if isinstance(value, dict) else {}


def labels(obj: dict) -> dict:
    value = _meta(obj).get("labels")
    return value if isinstance(value, dict) else {}


def is_chart_crd(obj: dict) -> bool:
    return obj.get("kind") == "CustomResourceDefinition" and HELM_CRD_ANNOTATION in annotations(obj)


def owner_of(live: dict, ref: ObjectRef | None = None) -> str:
    """The owner the object's tracking id names ("" when none, or when the id was copied
    from another object). Without a tracking id: the owner label of an object Akua made
    (objects applied before tracking ids existed)."""
    ref = ref or ObjectRef.of(live)
    tracking = annotations(live).get(TRACKING_ANNOTATION)
    if tracking:
        owner, _, identity = str(tracking).partition(":")
        return owner if tracking == tracking_id(owner, ref) and identity else ""
    if labels(live).get(MANAGED_BY) == "akua":
        return str(labels(live).get(OWNER_LABEL) or "")
    return ""


def has_legacy_manager(live: dict) -> bool:
    """Applied with the field manager all installations shared before (taken over once)."""
    return any(
        entry.get("manager") == LEGACY_MANAGER for entry in _meta(live).get("managedFields") or []
    )


@dataclass(frozen=True)
class Claim:
    """What an apply may do with one object: `apply` it (as `ownership`), or not (`reason`);
    `force` takes the fields over (adoption, or leaving the shared manager of old);
    `other` names the owner that holds it."""

    ownership: str
    apply: bool
    force: bool = False
    other: str = ""
    reason: str = ""


def claim(
    owner: str,
    desired: dict,
    live: dict | None,
    *,
    adopt: bool = False,
    known: bool = False,
) -> Claim:
    """The decision for `desired` given `live` (None: absent). `adopt`: a person chose to
    adopt it; `known`: it is in the owner's inventory (trusted without a tracking id)."""
    if is_chart_crd(desired):
        if live is None:
            return Claim(CRD, True)
        return Claim(
            CRD,
            False,
            reason="Exists; a chart's CRDs (crds/) are created when absent and never changed "
            "or deleted, as Helm does",
        )
    if live is None:
        return Claim(OWNED, True)
    if not owner:  # no ownership checks (tests of the engine alone)
        return Claim(OWNED, True)
    holder = owner_of(live)
    tracked = TRACKING_ANNOTATION in annotations(live)
    if holder == owner and (tracked or known or adopt):
        return Claim(ADOPTED if adopt else OWNED, True, force=has_legacy_manager(live))
    if holder and holder != owner and not adopt:
        return Claim(OWNED, False, other=holder)
    if adopt:
        return Claim(ADOPTED, True, force=True)
    return Claim(
        EXISTING,
        False,
        reason="Existed before and was not created by Akua; left as it is. Adopt it on the "
        "installation page for Akua to manage it.",
    )
