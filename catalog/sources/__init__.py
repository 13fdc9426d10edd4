"""Listing what a source offers upstream: chart versions, git tags and branch heads, image tags.

`list_upstream(source)` dispatches on the source's kind and returns an `Upstream`; every
failure is a `SourceError` whose message says in words what went wrong (unreachable, not
found, refused). Every outbound HTTP request goes through `catalog.sources.http.get`, and
git through `akua.packaging.fetch.git.run_git`, so tests can patch either.
"""

from __future__ import annotations

from catalog.sources.base import SourceError, Upstream
from catalog.sources.git import list_git
from catalog.sources.helm_repo import list_helm_repo
from catalog.sources.registry import list_image_tags, list_oci_tags
from catalog.sources.upload import list_upload

__all__ = ["SourceError", "Upstream", "list_upstream"]


def list_upstream(source) -> Upstream:
    """What `source` (a catalog.models.Source) offers upstream now."""
    kind = source.kind
    if kind == "helm_repo":
        return list_helm_repo(source.url, source.chart)
    if kind == "oci":
        return list_oci_tags(source.url)
    if kind == "git":
        return list_git(source.url, source.git_ref)
    if kind == "image":
        return list_image_tags(source.image)
    if kind == "chart_upload":
        return list_upload(bytes(source.upload or b""))
    raise SourceError(f"unknown source kind {kind!r}")
