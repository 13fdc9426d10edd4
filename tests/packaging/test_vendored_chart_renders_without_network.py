"""A chart vendored in `upstream/<alias>/` is used as it is: no fetching, even for a repo dependency."""

from __future__ import annotations

import shutil

import pytest

from akua.packaging import PackagingError, render
from tests.packaging.fixture_packages import PACKAGES


def test_it_renders_from_upstream_without_fetching():
    result = render(PACKAGES / "vendored-chart", {"replicas": 2}, allow_fetch=False)
    assert [r["kind"] for r in result.resources] == ["ConfigMap", "Deployment", "Service"]
    assert result.resources[1]["spec"]["replicas"] == 2


def test_without_the_vendored_copy_it_says_how_to_vendor(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(PACKAGES / "vendored-chart", pkg)
    shutil.rmtree(pkg / "upstream")
    with pytest.raises(PackagingError) as err:
        render(pkg)
    assert "dependency web is not vendored" in str(err.value)
    assert "python -m akua.packaging vendor" in str(err.value)
    assert err.value.file.endswith("akua.toml")


def test_the_vendored_copy_wins_over_the_akua_vendor_directory(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(PACKAGES / "vendored-chart", pkg)
    other = pkg / ".akua" / "vendor" / "web"
    shutil.copytree(pkg / "upstream" / "web", other)
    (other / "templates" / "configmap.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-akua-vendor\n"
    )
    names = [r["metadata"]["name"] for r in render(pkg).resources]
    assert "from-akua-vendor" not in names
    shutil.rmtree(pkg / "upstream")
    names = [r["metadata"]["name"] for r in render(pkg).resources]
    assert "from-akua-vendor" in names
