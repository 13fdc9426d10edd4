"""Discovery documents, as a v1.31 API server answers them.

Legacy discovery (`/api`, `/api/v1`, `/apis`, `/apis/<group>`, `/apis/<group>/<version>`)
for clients such as the Python `kubernetes` package, and aggregated discovery
(`apidiscovery.k8s.io/v2`: every group, version and resource in the answer to `/api` and
`/apis`) for clients that ask for it in `Accept`, as kubectl does. A group, version or
kind that is not served is absent from both, so clients say what they say against a real
server (`no matches for kind "Foo" in version "apps/v1"`).
"""

from __future__ import annotations

from .resources import Registry, ResourceType

AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


def wants_aggregated(accept: str) -> bool:
    """Whether an Accept header asks for apidiscovery.k8s.io/v2 (the first choice wins)."""
    for media_range in accept.split(","):
        params = dict(p.strip().partition("=")[::2] for p in media_range.split(";")[1:] if "=" in p)
        if params.get("as") == "APIGroupDiscoveryList" and params.get("v") == "v2":
            return params.get("g") == "apidiscovery.k8s.io"
    return False


def api_versions(server_address: str) -> dict:
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [
            {"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}
        ],
    }


def _group_doc(group: str, versions: list[str]) -> dict:
    entries = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
    return {"name": group, "versions": entries, "preferredVersion": dict(entries[0])}


def api_group_list(registry: Registry) -> dict:
    groups = [
        _group_doc(group, versions)
        for group, versions in registry.group_versions().items()
        if group  # the core group is served under /api
    ]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(registry: Registry, group: str) -> dict | None:
    versions = registry.group_versions().get(group)
    if not group or not versions:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group_doc(group, versions)}


def _entries(rt: ResourceType) -> list[dict]:
    entry = {
        "name": rt.plural,
        "singularName": rt.singular or rt.kind.lower(),
        "namespaced": rt.namespaced,
        "kind": rt.kind,
        "verbs": list(rt.verbs),
    }
    if rt.short_names:
        entry["shortNames"] = list(rt.short_names)
    if rt.categories:
        entry["categories"] = list(rt.categories)
    out = [entry]
    for sub in rt.subresources:
        item = {
            "name": f"{rt.plural}/{sub.name}",
            "singularName": "",
            "namespaced": rt.namespaced,
            "kind": sub.kind,
            "verbs": list(sub.verbs),
        }
        if sub.group_version:
            group, _, version = sub.group_version.rpartition("/")
            item.update(group=group, version=version)
        out.append(item)
    return out


def resource_list(registry: Registry, group: str, version: str) -> dict | None:
    types = registry.of_group_version(group, version)
    if not types:
        return None
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": f"{group}/{version}" if group else version,
        "resources": [entry for t in types for entry in _entries(t)],
    }


def _aggregated_resource(rt: ResourceType) -> dict:
    out = {
        "resource": rt.plural,
        "responseKind": {"group": rt.group, "version": rt.version, "kind": rt.kind},
        "scope": "Namespaced" if rt.namespaced else "Cluster",
        "singularResource": rt.singular or rt.kind.lower(),
        "verbs": list(rt.verbs),
    }
    if rt.short_names:
        out["shortNames"] = list(rt.short_names)
    if rt.categories:
        out["categories"] = list(rt.categories)
    if rt.subresources:
        out["subresources"] = []
        for sub in rt.subresources:
            group, _, version = (sub.group_version or rt.api_version).rpartition("/")
            out["subresources"].append(
                {
                    "subresource": sub.name,
                    "responseKind": {"group": group, "version": version, "kind": sub.kind},
                    "verbs": list(sub.verbs),
                }
            )
    return out


def aggregated(registry: Registry, legacy: bool) -> dict:
    """The APIGroupDiscoveryList of `/api` (legacy=True: the core group) or `/apis`."""
    items = []
    for group, versions in registry.group_versions().items():
        if bool(group) == legacy:
            continue
        items.append(
            {
                "metadata": {"name": group},
                "versions": [
                    {
                        "version": v,
                        "resources": [
                            _aggregated_resource(t) for t in registry.of_group_version(group, v)
                        ],
                        "freshness": "Current",
                    }
                    for v in versions
                ],
            }
        )
    return {
        "kind": "APIGroupDiscoveryList",
        "apiVersion": "apidiscovery.k8s.io/v2",
        "metadata": {},
        "items": items,
    }
