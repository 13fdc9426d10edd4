"""The emulator's resource types and the discovery documents built from them.

A `ResourceType` is one entry of an APIResourceList (`deployments` in `apps/v1`). The
`Registry` holds the built-in types plus those a CustomResourceDefinition registered, and
answers `/api`, `/api/v1`, `/apis`, `/apis/<group>` and `/apis/<group>/<version>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
SUB_VERBS = {
    "status": ["get", "patch", "update"],
    "scale": ["get", "patch", "update"],
    "log": ["get"],
}


@dataclass(frozen=True)
class ResourceType:
    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool = True
    short_names: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ("status",)
    builtin: bool = True
    singular: str = field(default="")

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

    def discovery(self) -> list[dict]:
        entry = {
            "name": self.plural,
            "singularName": self.singular or self.kind.lower(),
            "namespaced": self.namespaced,
            "kind": self.kind,
            "verbs": ALL_VERBS,
        }
        if self.short_names:
            entry["shortNames"] = list(self.short_names)
        subs = [
            {
                "name": f"{self.plural}/{sub}",
                "singularName": "",
                "namespaced": self.namespaced,
                "kind": "Pod" if sub == "log" else ("Scale" if sub == "scale" else self.kind),
                "verbs": SUB_VERBS[sub],
            }
            for sub in self.subresources
        ]
        return [entry, *subs]


def _rt(
    api_version: str, plural: str, kind: str, namespaced: bool = True, *short, subs=("status",)
):
    group, _, version = api_version.rpartition("/")
    return ResourceType(group, version, plural, kind, namespaced, tuple(short), tuple(subs))


BUILTIN: list[ResourceType] = [
    _rt("v1", "namespaces", "Namespace", False, "ns"),
    _rt("v1", "nodes", "Node", False, "no"),
    _rt("v1", "persistentvolumes", "PersistentVolume", False, "pv"),
    _rt("v1", "pods", "Pod", True, "po", subs=("status", "log")),
    _rt("v1", "services", "Service", True, "svc"),
    _rt("v1", "endpoints", "Endpoints", True, "ep", subs=()),
    _rt("v1", "configmaps", "ConfigMap", True, "cm", subs=()),
    _rt("v1", "secrets", "Secret", True, subs=()),
    _rt("v1", "serviceaccounts", "ServiceAccount", True, "sa", subs=()),
    _rt("v1", "persistentvolumeclaims", "PersistentVolumeClaim", True, "pvc"),
    _rt("v1", "events", "Event", True, "ev", subs=()),
    _rt("v1", "limitranges", "LimitRange", True, "limits", subs=()),
    _rt("v1", "resourcequotas", "ResourceQuota", True, "quota"),
    _rt("apps/v1", "deployments", "Deployment", True, "deploy", subs=("status", "scale")),
    _rt("apps/v1", "statefulsets", "StatefulSet", True, "sts", subs=("status", "scale")),
    _rt("apps/v1", "daemonsets", "DaemonSet", True, "ds"),
    _rt("apps/v1", "replicasets", "ReplicaSet", True, "rs", subs=("status", "scale")),
    _rt("apps/v1", "controllerrevisions", "ControllerRevision", True, subs=()),
    _rt("batch/v1", "jobs", "Job", True),
    _rt("batch/v1", "cronjobs", "CronJob", True, "cj"),
    _rt("networking.k8s.io/v1", "ingresses", "Ingress", True, "ing"),
    _rt("networking.k8s.io/v1", "ingressclasses", "IngressClass", False, subs=()),
    _rt("networking.k8s.io/v1", "networkpolicies", "NetworkPolicy", True, "netpol", subs=()),
    _rt(
        "apiextensions.k8s.io/v1",
        "customresourcedefinitions",
        "CustomResourceDefinition",
        False,
        "crd",
        "crds",
    ),
    _rt("rbac.authorization.k8s.io/v1", "roles", "Role", True, subs=()),
    _rt("rbac.authorization.k8s.io/v1", "rolebindings", "RoleBinding", True, subs=()),
    _rt("rbac.authorization.k8s.io/v1", "clusterroles", "ClusterRole", False, subs=()),
    _rt(
        "rbac.authorization.k8s.io/v1", "clusterrolebindings", "ClusterRoleBinding", False, subs=()
    ),
    _rt("storage.k8s.io/v1", "storageclasses", "StorageClass", False, "sc", subs=()),
    _rt("storage.k8s.io/v1", "csidrivers", "CSIDriver", False, subs=()),
    _rt("policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", True, "pdb"),
    _rt("autoscaling/v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", True, "hpa"),
]


class Registry:
    """Which (group, version, plural) the emulator serves; CRDs add and remove entries."""

    def __init__(self) -> None:
        self._types: list[ResourceType] = list(BUILTIN)

    def reset(self) -> None:
        self._types = list(BUILTIN)

    def add(self, types: list[ResourceType]) -> None:
        keys = {(t.group, t.version, t.plural) for t in types}
        self._types = [t for t in self._types if (t.group, t.version, t.plural) not in keys] + types

    def remove_group_resource(self, group: str, plural: str) -> None:
        self._types = [
            t for t in self._types if t.builtin or (t.group, t.plural) != (group, plural)
        ]

    def lookup(self, group: str, version: str, plural: str) -> ResourceType | None:
        for t in self._types:
            if (t.group, t.version, t.plural) == (group, version, plural):
                return t
        return None

    def by_kind(self, api_version: str, kind: str) -> ResourceType | None:
        group, _, version = api_version.rpartition("/")
        for t in self._types:
            if (t.group, t.version, t.kind) == (group, version, kind):
                return t
        return None

    def any_by_kind(self, kind: str) -> ResourceType | None:
        return next((t for t in self._types if t.kind == kind), None)

    def group_versions(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for t in self._types:
            versions = out.setdefault(t.group, [])
            if t.version not in versions:
                versions.append(t.version)
        return out

    # -- discovery documents ---------------------------------------------------------------

    def api_versions(self, server_address: str) -> dict:
        return {
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}
            ],
        }

    def _group_doc(self, group: str, versions: list[str]) -> dict:
        entries = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
        return {"name": group, "versions": entries, "preferredVersion": dict(entries[0])}

    def api_group_list(self) -> dict:
        groups = [
            self._group_doc(group, versions)
            for group, versions in self.group_versions().items()
            if group  # the core group is served under /api
        ]
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}

    def api_group(self, group: str) -> dict | None:
        versions = self.group_versions().get(group)
        if not group or not versions:
            return None
        return {"kind": "APIGroup", "apiVersion": "v1", **self._group_doc(group, versions)}

    def resource_list(self, group: str, version: str) -> dict | None:
        types = [t for t in self._types if (t.group, t.version) == (group, version)]
        if not types:
            return None
        resources = [entry for t in types for entry in t.discovery()]
        group_version = f"{group}/{version}" if group else version
        return {
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": group_version,
            "resources": resources,
        }
