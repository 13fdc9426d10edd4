"""Fetching a chart from an OCI registry (plain HTTP because the test registry is local)."""

from __future__ import annotations

import socket

import pytest
import yaml

from akua.packaging.errors import PackagingError
from akua.packaging.fetch import fetch
from akua.packaging.fetch.oci import is_local_registry
from akua.packaging.manifest import Dependency
from tests.packaging.servers import OciRegistry, chart_tgz


def oci_dep(ref: str, version="1.0.0") -> Dependency:
    return Dependency(alias="app", kind="oci", oci=ref, version=version)


@pytest.fixture
def registry():
    with OciRegistry() as registry:
        yield registry


def test_it_pulls_the_chart_and_pins_the_chart_layer_digest(registry, tmp_path):
    layer = registry.push("charts/demo", "1.0.0", chart_tgz("demo", "1.0.0"))
    registry.push("charts/demo", "1.1.0", chart_tgz("demo", "1.1.0"))

    result = fetch(oci_dep(f"{registry.url}/charts/demo"), tmp_path / "out")

    assert result.digest == layer
    assert result.version == "1.0.0"
    assert result.source == f"{registry.url}/charts/demo"
    assert yaml.safe_load((tmp_path / "out" / "Chart.yaml").read_text())["version"] == "1.0.0"
    assert "GET /v2/charts/demo/manifests/1.0.0" in registry.requests


def test_a_missing_version_lists_the_registry_tags_newest_first(registry, tmp_path):
    for version in ("1.0.0", "1.2.0", "1.10.0"):
        registry.push("charts/demo", version, chart_tgz("demo", version))

    with pytest.raises(PackagingError) as error:
        fetch(oci_dep(f"{registry.url}/charts/demo", version="9.9.9"), tmp_path / "out")

    assert "no version 9.9.9" in str(error.value)
    assert "available: 1.10.0, 1.2.0, 1.0.0" in str(error.value)


def test_an_unknown_repository_says_there_is_no_chart(registry, tmp_path):
    with pytest.raises(PackagingError, match="no chart at"):
        fetch(oci_dep(f"{registry.url}/charts/missing"), tmp_path / "out")


def test_an_unreachable_registry_says_it_could_not_reach_it(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    with pytest.raises(PackagingError, match=f"could not reach the registry 127.0.0.1:{port}"):
        fetch(oci_dep(f"oci://127.0.0.1:{port}/charts/demo"), tmp_path / "out")


@pytest.mark.parametrize(
    ("host", "local"),
    [("127.0.0.1", True), ("localhost", True), ("reg.localhost", True), ("ghcr.io", False)],
)
def test_only_registries_on_this_machine_are_spoken_to_over_plain_http(host, local):
    assert is_local_registry(host) is local
