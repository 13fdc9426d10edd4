"""API extensions: a CustomResourceDefinition is NamesAccepted and Established on the next
tick, and only then is its kind served (discovery, OpenAPI, objects); an APIService is
Available when it is local or its Service exists (it is stored, nothing is proxied to it)."""

from __future__ import annotations

import copy

from ..resources import STANDARD_VERBS, SUB_VERBS, ResourceType, Subresource
from ..store import Record
from .common import set_condition


def custom_resource_definition(ctl, rec: Record, now: float) -> None:
    spec = rec.obj.get("spec") or {}
    names = spec.get("names") or {}
    served = [v for v in spec.get("versions") or [] if v.get("served", True)]
    types = []
    for v in served:
        subresources = v.get("subresources") or {}
        subs = []
        if subresources.get("scale") is not None:
            subs.append(Subresource("scale", "Scale", SUB_VERBS, "autoscaling/v1"))
        if subresources.get("status") is not None:
            subs.append(Subresource("status", names.get("kind", ""), SUB_VERBS))
        types.append(
            ResourceType(
                spec.get("group", ""),
                v["name"],
                names.get("plural", ""),
                names.get("kind", ""),
                spec.get("scope", "Namespaced") == "Namespaced",
                tuple(names.get("shortNames") or ()),
                tuple(subs),
                False,
                names.get("singular", ""),
                STANDARD_VERBS,
                tuple(names.get("categories") or ()),
            )
        )
    if rec.sim.get("types") != types:
        ctl.store.registry.remove_group_resource(spec.get("group", ""), names.get("plural", ""))
        ctl.store.registry.add(types)
        rec.sim["types"] = types
    status = copy.deepcopy(rec.obj.get("status") or {})
    set_condition(status, "NamesAccepted", "True", "NoConflicts", "no conflicts found")
    set_condition(
        status,
        "Established",
        "True",
        "InitialNamesAccepted",
        "the initial names have been accepted",
    )
    status["acceptedNames"] = names
    status["storedVersions"] = [v["name"] for v in spec.get("versions") or [] if v.get("storage")]
    ctl.write_status(rec, status)


def api_service(ctl, rec: Record, now: float) -> None:
    spec = rec.obj.get("spec") or {}
    service = spec.get("service")
    status = copy.deepcopy(rec.obj.get("status") or {})
    if service is None:
        set_condition(
            status, "Available", "True", "Local", "Local APIServices are always available"
        )
    else:
        svc_type = ctl.rt("", "v1", "services")
        name, namespace = service.get("name", ""), service.get("namespace", "")
        if ctl.store.find(svc_type, namespace, name) is None:
            set_condition(
                status,
                "Available",
                "False",
                "ServiceNotFound",
                f'service/{name} in "{namespace}" is not present',
            )
        else:
            set_condition(status, "Available", "True", "Passed", "all checks passed")
    ctl.write_status(rec, status)
