"""Fetching dependencies: `fetch(dep, dest)` puts one dependency's tree at `dest`.

One module per source: `helm_repo` (classic HTTP Helm repositories), `oci` (OCI registries),
`git`. Each returns a FetchResult with the version it resolved to and its digest (see
akua.packaging.vendor for what the digest covers). Errors are PackagingError, one line each,
naming the dependency.
"""

from __future__ import annotations

from pathlib import Path

from akua.packaging.errors import PackagingError
from akua.packaging.fetch.base import NETWORK_TIMEOUT, FetchResult
from akua.packaging.fetch.git import fetch_git
from akua.packaging.fetch.helm_repo import fetch_helm
from akua.packaging.fetch.oci import fetch_oci
from akua.packaging.manifest import Dependency

__all__ = ["NETWORK_TIMEOUT", "FetchResult", "fetch"]

_FETCHERS = {"helm": fetch_helm, "oci": fetch_oci, "git": fetch_git}


def fetch(dep: Dependency, dest: Path) -> FetchResult:
    """Fetch `dep` into the new or empty directory `dest`."""
    fetcher = _FETCHERS.get(dep.kind)
    if fetcher is None:
        raise PackagingError(
            f"dependency {dep.alias!r} is a {dep.kind} dependency; only helm, oci and git ones are fetched"
        )
    try:
        return fetcher(dep, Path(dest))
    except PackagingError as exc:
        raise PackagingError(
            f"dependency {dep.alias!r}: {exc.message}", file=exc.file, line=exc.line
        ) from None
