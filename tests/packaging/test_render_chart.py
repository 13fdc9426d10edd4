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


def test_a_template_is_split_into_objects_as_helm_splits_it():
    """Helm splits rendered templates at any `---` that starts a line (releaseutil's
    SplitManifests), so `---# comment` glued by `{{- if … -}}` trims still separates
    two objects; an indented `---` in a block scalar does not."""
    objects = render_chart(CHARTS / "separators", release="app", namespace="shop")
    assert [(o["kind"], o["metadata"]["name"]) for o in objects] == [
        ("ClusterRole", "app:view"),
        ("ClusterRole", "app:approve"),
        ("ConfigMap", "app-settings"),
    ]
    assert objects[2]["data"]["banner"] == "--- not a separator: indented in a block scalar\n"
    off = render_chart(CHARTS / "separators", {"approve": False}, release="app", namespace="x")
    assert [o["metadata"]["name"] for o in off] == ["app:view", "app-settings"]
