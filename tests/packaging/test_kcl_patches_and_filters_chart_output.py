"""KCL written over a chart's output can patch and filter it before it becomes manifests."""

from __future__ import annotations

from akua.packaging import render
from tests.packaging.fixture_packages import PACKAGES


def test_a_comprehension_filters_out_a_kind_and_patches_labels():
    result = render(PACKAGES / "patched-chart", {"team": "checkout"})
    assert [r["kind"] for r in result.resources] == ["ConfigMap", "Deployment"]
    assert all(r["metadata"]["labels"]["example.com/team"] == "checkout" for r in result.resources)
    # the chart's own labels survive the patch
    assert result.resources[1]["metadata"]["labels"]["app.kubernetes.io/name"] == "hello"


def test_the_filter_follows_the_inputs():
    result = render(PACKAGES / "patched-chart", {"expose": True})
    assert [r["kind"] for r in result.resources] == ["ConfigMap", "Deployment", "Service"]
