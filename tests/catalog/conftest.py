"""Sources in the base vendor workspace, and the commented chart as a .tgz."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.packaging.servers import chart_tgz

COMMENTED = Path(__file__).parents[1] / "fixtures" / "charts" / "commented"


def commented_chart_files(version: str = "0.3.0", **replace: bytes) -> dict[str, bytes]:
    files = {
        p.relative_to(COMMENTED).as_posix(): p.read_bytes()
        for p in sorted(COMMENTED.rglob("*"))
        if p.is_file()
    }
    files["Chart.yaml"] = files["Chart.yaml"].replace(b"0.3.0", version.encode())
    files.update(replace)
    return files


@pytest.fixture
def commented_tgz():
    def make(version: str = "0.3.0", **replace: bytes) -> bytes:
        return chart_tgz("commented", version, commented_chart_files(version, **replace))

    return make


PROXY = Path(__file__).parents[1] / "fixtures" / "charts" / "proxy"


@pytest.fixture
def proxy_tgz():
    """The big fixture chart (tests/fixtures/charts/proxy) as an uploaded .tgz."""
    files = {
        p.relative_to(PROXY).as_posix(): p.read_bytes()
        for p in sorted(PROXY.rglob("*"))
        if p.is_file()
    }
    return chart_tgz("proxy", "3.2.1", files)
