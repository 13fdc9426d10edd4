"""Fetch a chart from a classic HTTP Helm repository (`index.yaml` + `.tgz` archives).

`file://` repository URLs work too. The digest is the sha256 of the `.tgz` as downloaded, the
same value the index carries per entry; an entry's `digest`, when present, must match.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

from akua.packaging.digest import bytes_digest
from akua.packaging.errors import PackagingError
from akua.packaging.fetch.base import (
    MAX_CHART_BYTES,
    NETWORK_TIMEOUT,
    FetchResult,
    newest_first,
    unpack_chart,
)
from akua.packaging.manifest import Dependency

_LISTED_VERSIONS = 10
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def fetch_helm(dep: Dependency, dest: Path) -> FetchResult:
    repo = dep.repo.rstrip("/") + "/"
    index_url = urljoin(repo, "index.yaml")
    try:
        index = yaml.load(download(index_url, what=f"the index of {dep.repo}"), Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        raise PackagingError(f"{index_url} is not a valid Helm repository index: {exc}") from None
    entries = index.get("entries") if isinstance(index, dict) else None
    if not isinstance(entries, dict):
        raise PackagingError(f"{index_url} is not a Helm repository index (no entries)")

    versions = [e for e in entries.get(dep.chart) or [] if isinstance(e, dict)]
    if not versions:
        raise PackagingError(f"chart {dep.chart!r} is not in the repository {dep.repo}")
    entry = next((e for e in versions if str(e.get("version")) == dep.version), None)
    if entry is None:
        available = newest_first(str(e.get("version")) for e in versions)
        shown = ", ".join(available[:_LISTED_VERSIONS])
        more = (
            f" and {len(available) - _LISTED_VERSIONS} older"
            if len(available) > _LISTED_VERSIONS
            else ""
        )
        raise PackagingError(
            f"chart {dep.chart!r} has no version {dep.version} in {dep.repo}; available: {shown}{more}"
        )

    urls = entry.get("urls") or []
    if not urls or not isinstance(urls[0], str):
        raise PackagingError(f"{index_url}: {dep.chart} {dep.version} lists no download URL")
    chart_url = urljoin(repo, urls[0])
    archive = download(chart_url, what=f"{dep.chart} {dep.version}", limit=MAX_CHART_BYTES)
    digest = bytes_digest(archive)
    expected = str(entry.get("digest") or "").lower().removeprefix("sha256:")
    if expected and expected != digest.removeprefix("sha256:"):
        raise PackagingError(
            f"digest mismatch for {dep.chart} {dep.version} from {chart_url}: the repository index "
            f"says sha256:{expected}, the download is {digest}; "
            "the repository is inconsistent or the download was altered, so it was not used"
        )
    unpack_chart(archive, dest, what=f"{dep.chart}-{dep.version}.tgz from {chart_url}")
    return FetchResult(path=Path(dest), version=dep.version, source=dep.source, digest=digest)


def download(url: str, *, what: str, limit: int | None = None) -> bytes:
    """GET `url` (http, https or file) within NETWORK_TIMEOUT; a one-line PackagingError otherwise."""
    host = urlsplit(url).netloc or url
    request = urllib.request.Request(url, headers={"User-Agent": "akua"})
    try:
        with urllib.request.urlopen(request, timeout=NETWORK_TIMEOUT) as response:
            data = response.read(limit + 1) if limit else response.read()
    except urllib.error.HTTPError as exc:
        raise PackagingError(
            f"could not download {what}: {url} answered HTTP {exc.code} {exc.reason}"
        ) from None
    except urllib.error.URLError as exc:
        if urlsplit(url).scheme == "file":
            raise PackagingError(f"could not read {what}: {url} does not exist") from None
        raise PackagingError(f"could not reach {host} for {what}: {_reason(exc.reason)}") from None
    except TimeoutError:
        raise PackagingError(
            f"could not reach {host} for {what}: no answer within {NETWORK_TIMEOUT} s"
        ) from None
    except OSError as exc:
        raise PackagingError(f"could not reach {host} for {what}: {_reason(exc)}") from None
    if limit and len(data) > limit:
        raise PackagingError(f"{what} at {url} is larger than {limit // 2**20} MiB; refused")
    return data


def _reason(reason) -> str:
    if isinstance(reason, TimeoutError):
        return f"no answer within {NETWORK_TIMEOUT} s"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason)
