"""Chart versions in a classic HTTP Helm repository's index.yaml."""

from __future__ import annotations

import yaml

from akua.packaging import yamlio
from akua.packaging.fetch.base import newest_first
from catalog.sources import http
from catalog.sources.base import SourceError, Upstream


def list_helm_repo(url: str, chart: str) -> Upstream:
    if not url or not chart:
        raise SourceError("a Helm repository source needs the repository URL and the chart name")
    index_url = url.rstrip("/") + "/index.yaml"
    data = http.get(index_url, what=f"the index of {url}")
    try:
        index = yamlio.load(data)
    except yaml.YAMLError:
        raise SourceError(f"{index_url} is not valid YAML") from None
    entries = (index or {}).get("entries") if isinstance(index, dict) else None
    if not isinstance(entries, dict):
        raise SourceError(f"{index_url} is not a Helm repository index (no entries)")
    versions = [
        str(e["version"])
        for e in entries.get(chart) or []
        if isinstance(e, dict) and e.get("version")
    ]
    if not versions:
        names = ", ".join(sorted(entries)[:10]) or "none"
        raise SourceError(f"{url} has no chart {chart!r} (charts: {names})")
    return Upstream(versions=newest_first(versions))
