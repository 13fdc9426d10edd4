"""The emulator's resource types: the built-in ones read from swagger.json, plus CRDs'.

A `ResourceType` is one entry of an APIResourceList (`deployments` in `apps/v1`). The
built-in types, their scope, verbs and subresources come from the OpenAPI document
(`swagger.py`); short names and categories (`kubectl get deploy`, `kubectl get all`) are
not in it, so they are listed here as a real server's discovery has them. The `Registry`
holds the built-in types and those an established CustomResourceDefinition added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import swagger

# the subresources the emulator answers (others, such as pods/exec, are not listed)
SERVED_SUBRESOURCES = ("status", "scale", "log")
SHORT_NAMES = {
    "componentstatuses": ("cs",),
    "configmaps": ("cm",),
    "endpoints": ("ep",),
    "events": ("ev",),
    "limitranges": ("limits",),
    "namespaces": ("ns",),
    "nodes": ("no",),
    "persistentvolumeclaims": ("pvc",),
    "persistentvolumes": ("pv",),
    "pods": ("po",),
    "replicationcontrollers": ("rc",),
    "resourcequotas": ("quota",),
    "serviceaccounts": ("sa",),
    "services": ("svc",),
    "customresourcedefinitions": ("crd", "crds"),
    "daemonsets": ("ds",),
    "deployments": ("deploy",),
    "replicasets": ("rs",),
    "statefulsets": ("sts",),
    "horizontalpodautoscalers": ("hpa",),
    "cronjobs": ("cj",),
    "certificatesigningrequests": ("csr",),
    "ingresses": ("ing",),
    "networkpolicies": ("netpol",),
    "poddisruptionbudgets": ("pdb",),
    "priorityclasses": ("pc",),
    "storageclasses": ("sc",),
}
CATEGORIES = {
    **dict.fromkeys(
        (
            "pods",
            "replicationcontrollers",
            "services",
            "daemonsets",
            "deployments",
            "replicasets",
            "statefulsets",
            "horizontalpodautoscalers",
            "cronjobs",
            "jobs",
        ),
        ("all",),
    ),
    **dict.fromkeys(
        (
            "customresourcedefinitions",
            "apiservices",
            "mutatingwebhookconfigurations",
            "validatingwebhookconfigurations",
            "validatingadmissionpolicies",
            "validatingadmissionpolicybindings",
        ),
        ("api-extensions",),
    ),
}
STANDARD_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
SUB_VERBS = ("get", "patch", "update")


@dataclass(frozen=True)
class Subresource:
    name: str
    kind: str
    verbs: tuple[str, ...]
    group_version: str = ""  # `autoscaling/v1` for scale; "" for the resource's own


@dataclass(frozen=True)
class ResourceType:
    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool = True
    short_names: tuple[str, ...] = ()
    subresources: tuple[Subresource, ...] = ()
    builtin: bool = True
    singular: str = field(default="")
    verbs: tuple[str, ...] = STANDARD_VERBS
    categories: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """`deployments.apps`, `pods`: how the API server names the resource in messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def qualified_kind(self) -> str:
        return f"{self.kind}.{self.group}" if self.group else self.kind

    @property
    def storage_key(self) -> tuple[str, str]:
        """Objects are stored per (group, plural): every served version sees the same object."""
        return (self.group, self.plural)

    @property
    def stored(self) -> bool:
        """False for create-only kinds (reviews, bindings): a create answers, nothing is kept."""
        return self.verbs != ("create",)

    def subresource(self, name: str) -> Subresource | None:
        return next((s for s in self.subresources if s.name == name), None)


def _builtin() -> list[ResourceType]:
    types = []
    for entry in swagger.resources():
        subs = []
        for name in SERVED_SUBRESOURCES:
            if name in entry.subresources:
                kind, verbs = entry.subresources[name]
                subs.append(
                    Subresource(
                        name,
                        kind,
                        tuple(sorted(verbs)),
                        "autoscaling/v1" if kind == "Scale" else "",
                    )
                )
        types.append(
            ResourceType(
                entry.group,
                entry.version,
                entry.plural,
                entry.kind,
                entry.namespaced,
                SHORT_NAMES.get(entry.plural, ()) if entry.group != "events.k8s.io" else (),
                tuple(subs),
                True,
                entry.kind.lower(),
                tuple(sorted(entry.verbs)),
                CATEGORIES.get(entry.plural, ()),
            )
        )
    return types


_VERSION = re.compile(r"^v([0-9]+)(?:(alpha|beta)([0-9]+))?$")


def version_priority(version: str) -> tuple:
    """Kubernetes' version order: GA before beta before alpha, higher numbers first."""
    m = _VERSION.match(version)
    if not m:
        return (3, 0, 0, version)
    major, stage, minor = int(m.group(1)), m.group(2), int(m.group(3) or 0)
    return ({None: 0, "beta": 1, "alpha": 2}[stage], -major, -minor, "")


class Registry:
    """Which (group, version, plural) the emulator serves; CRDs add and remove entries."""

    def __init__(self) -> None:
        self._builtin = _builtin()
        self.reset()

    def reset(self) -> None:
        self._set(list(self._builtin))

    def _set(self, types: list[ResourceType]) -> None:
        self._types = types
        self._by_plural = {(t.group, t.version, t.plural): t for t in types}
        self._by_kind = {(t.group, t.version, t.kind): t for t in types}
        self._any_kind: dict[str, ResourceType] = {}
        for t in types:
            self._any_kind.setdefault(t.kind, t)
        self.generation = getattr(self, "generation", 0) + 1  # discovery documents change

    @property
    def types(self) -> list[ResourceType]:
        return list(self._types)

    def add(self, types: list[ResourceType]) -> None:
        keys = {(t.group, t.version, t.plural) for t in types}
        self._set([t for t in self._types if (t.group, t.version, t.plural) not in keys] + types)

    def remove_group_resource(self, group: str, plural: str) -> None:
        self._set([t for t in self._types if t.builtin or (t.group, t.plural) != (group, plural)])

    def lookup(self, group: str, version: str, plural: str) -> ResourceType | None:
        return self._by_plural.get((group, version, plural))

    def by_kind(self, api_version: str, kind: str) -> ResourceType | None:
        group, _, version = api_version.rpartition("/")
        return self._by_kind.get((group, version, kind))

    def any_by_kind(self, kind: str) -> ResourceType | None:
        return self._any_kind.get(kind)

    def group_versions(self) -> dict[str, list[str]]:
        """Group -> its served versions, the preferred one first."""
        out: dict[str, list[str]] = {}
        for t in self._types:
            versions = out.setdefault(t.group, [])
            if t.version not in versions:
                versions.append(t.version)
        return {g: sorted(v, key=version_priority) for g, v in out.items()}

    def of_group_version(self, group: str, version: str) -> list[ResourceType]:
        return [t for t in self._types if (t.group, t.version) == (group, version)]
