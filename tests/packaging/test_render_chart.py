"""`render_chart`: a chart's objects exactly as `charts.<alias>.template` gives them to package.k
(generation compares a generated package with its chart through it), in the sandbox."""

from __future__ import annotations

import pytest

from akua.packaging import PackagingError, export_schema, render, render_chart
from tests.packaging.fixture_packages import CHARTS, PACKAGES, write_package


def test_it_matches_the_chart_rendered_through_a_package():
    values = {"replicaCount": 3, "fullnameOverride": "web"}
    through_package = render(PACKAGES / "local-chart", {"replicas": 3}).resources
    alone = render_chart(CHARTS / "hello", values, release="web", namespace="shop")
    assert alone == through_package


def test_a_missing_chart_is_an_error_naming_it(tmp_path):
    with pytest.raises(PackagingError, match="chart not found"):
        render_chart(tmp_path / "nope")


def test_a_package_without_schema_input_exports_an_empty_schema_and_renders(tmp_path):
    pkg = write_package(
        tmp_path / "pkg",
        'resources = [{apiVersion = "v1", kind = "Namespace", metadata.name = "n"}]\n',
    )
    assert export_schema(pkg) == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Input",
        "type": "object",
        "properties": {},
    }
    assert render(pkg, {}).resources == [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}}
    ]


def test_a_package_without_schema_input_that_does_not_compile_says_so(tmp_path):
    pkg = write_package(tmp_path / "pkg", "resources = [\n")
    with pytest.raises(PackagingError) as err:
        export_schema(pkg)
    assert (err.value.file, err.value.line) == (str(pkg / "package.k"), 1)
