"""The version of an uploaded chart .tgz: the one in its Chart.yaml."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

from akua.packaging import yamlio
from akua.packaging.errors import PackagingError
from akua.packaging.fetch.base import unpack_chart
from catalog.sources.base import SourceError, Upstream


def unpack_upload(archive: bytes, dest: Path) -> dict:
    """Unpack the uploaded chart into `dest`; return its Chart.yaml."""
    if not archive:
        raise SourceError("no chart .tgz has been uploaded to this source")
    try:
        unpack_chart(archive, dest, what="the uploaded chart")
    except PackagingError as exc:
        raise SourceError(exc.message) from None
    try:
        chart = yamlio.load((Path(dest) / "Chart.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        raise SourceError("the uploaded chart has no readable Chart.yaml") from None
    return chart if isinstance(chart, dict) else {}


def list_upload(archive: bytes) -> Upstream:
    with tempfile.TemporaryDirectory(prefix="akua-upload-") as tmp:
        chart = unpack_upload(archive, Path(tmp) / "chart")
    version = str(chart.get("version") or "")
    return Upstream(versions=[version] if version else [])
