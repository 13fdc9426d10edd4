"""Tags from an OCI / Docker registry: `GET /v2/<name>/tags/list`.

Registries on this machine (localhost, 127.0.0.1) are spoken to over plain HTTP, others
over HTTPS. A registry that answers 401 with a Bearer challenge gets one anonymous token
request (how public images on Docker Hub, ghcr.io, quay.io are listed).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from akua.packaging.fetch.base import newest_first
from akua.packaging.fetch.oci import is_local_registry
from catalog.sources import http
from catalog.sources.base import SourceError, Upstream

DOCKER_HUB = "registry-1.docker.io"


def split_reference(reference: str) -> tuple[str, str]:
    """`host[:port]/name` (an `oci://` prefix allowed) -> (host, name); Docker Hub by default."""
    ref = reference.strip().removeprefix("oci://").strip("/")
    ref = re.sub(r"[:@][^/]*$", "", ref) if "/" in ref and ":" in ref.rsplit("/", 1)[-1] else ref
    first, _, rest = ref.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first, rest
    name = ref if "/" in ref else f"library/{ref}"
    return DOCKER_HUB, name


def list_oci_tags(reference: str) -> Upstream:
    if not reference.startswith("oci://"):
        raise SourceError(
            "an OCI source needs a reference like oci://registry.example.com/charts/app"
        )
    return Upstream(versions=_tags(reference))


def list_image_tags(image: str) -> Upstream:
    if not image:
        raise SourceError("an image source needs the image repository, like ghcr.io/team/app")
    return Upstream(versions=_tags(image))


def _tags(reference: str) -> list[str]:
    host, name = split_reference(reference)
    scheme = "http" if is_local_registry(host.rsplit(":", 1)[0].strip("[]")) else "https"
    url = f"{scheme}://{host}/v2/{name}/tags/list"
    what = f"the tags of {host}/{name}"
    try:
        data = http.get_json(url, what=what)
    except http.HTTPStatusError as exc:
        challenge = exc.headers.get("WWW-Authenticate", "") if exc.headers else ""
        if exc.status != 401 or not challenge.lower().startswith("bearer"):
            raise
        token = _anonymous_token(challenge, name, what)
        data = http.get_json(url, what=what, headers={"Authorization": f"Bearer {token}"})
    tags = data.get("tags") if isinstance(data, dict) else None
    if not isinstance(tags, list):
        tags = []
    return newest_first(str(t) for t in tags if t)


def _anonymous_token(challenge: str, name: str, what: str) -> str:
    params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
    realm = params.pop("realm", "")
    if not realm:
        raise SourceError(f"{what}: the registry asked for credentials Akua does not have")
    params.setdefault("scope", f"repository:{name}:pull")
    answer = http.get_json(f"{realm}?{urlencode(params)}", what=what)
    token = answer.get("token") or answer.get("access_token") if isinstance(answer, dict) else None
    if not token:
        raise SourceError(f"{what}: the registry refused anonymous access; is it private?")
    return token
