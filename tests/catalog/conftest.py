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


@pytest.fixture
def acme_source(base):
    """A source in acme's workspace (the shared cast's vendor, tests/conftest.py `base`):
    `acme_source(Source.Kind.GIT, url=…, name="app")`; named web unless `name` says."""
    from catalog.models import Source

    def make(kind, *, name: str = "web", **fields) -> Source:
        return Source.objects.create(workspace=base.acme, name=name, kind=kind, **fields)

    return make
