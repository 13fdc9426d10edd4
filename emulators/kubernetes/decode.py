"""A request body as the object it would become: checked against the URL (apiVersion,
kind, name, namespace), named (`generateName`), its quantities canonical (`canonical.py`).
"""

from __future__ import annotations

import copy
import uuid

from . import canonical, validation
from .errors import bad_request


def decode(rt, namespace: str | None, name: str | None, body) -> dict:
    """A request body checked against the URL, as the object it would become."""
    if not isinstance(body, dict):
        raise bad_request("the body of the request was in an unknown format")
    body = copy.deepcopy(body)
    meta = body.get("metadata") or {}
    body["metadata"] = meta
    if body.get("apiVersion", rt.api_version) != rt.api_version:
        raise bad_request(
            f"the API version in the data ({body['apiVersion']}) does not match the expected API version ({rt.api_version})"
        )
    if body.get("kind", rt.kind) != rt.kind:
        raise bad_request(
            f"the kind in the data ({body['kind']}) does not match the expected kind ({rt.kind})"
        )
    if name is not None and meta.get("name", name) != name:
        raise bad_request("the name of the object does not match the name on the URL")
    if name is not None:
        meta["name"] = name
    elif not meta.get("name") and meta.get("generateName"):
        meta["name"] = meta["generateName"] + uuid.uuid4().hex[:5]
    if rt.namespaced:
        if meta.get("namespace", namespace) != namespace:
            raise bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        meta["namespace"] = namespace
    else:
        meta.pop("namespace", None)
    validation.name(rt, body)
    canonical.canonicalise(rt, body)
    body["apiVersion"], body["kind"] = rt.api_version, rt.kind
    return body
