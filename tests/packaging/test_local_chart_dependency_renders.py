"""A Helm chart dependency (`path`) is importable as `charts.<alias>` and renders in-process."""

from __future__ import annotations

from akua.packaging import render
from tests.packaging.fixture_packages import PACKAGES


def test_it_renders_the_chart_with_the_values_release_and_namespace_given():
    result = render(PACKAGES / "local-chart", {"name": "shop", "replicas": 4})
    deployment = next(r for r in result.resources if r["kind"] == "Deployment")
    assert deployment["metadata"] == {
        "name": "shop",
        "namespace": "shop",
        "labels": {"app.kubernetes.io/name": "hello", "app.kubernetes.io/instance": "shop"},
    }
    assert deployment["spec"]["replicas"] == 4


def test_it_orders_objects_by_template_path_as_akua_does():
    kinds = [r["kind"] for r in render(PACKAGES / "local-chart").resources]
    assert kinds == ["ConfigMap", "Deployment", "Service"]


def test_it_leaves_out_notes_txt():
    result = render(PACKAGES / "local-chart")
    assert not any("Thanks for installing" in f.content.decode() for f in result.files)


def test_the_older_helm_template_call_with_a_relative_chart_path_renders():
    result = render(PACKAGES / "helm-template-call")
    assert [f.name for f in result.files] == [
        "000-configmap-legacy-hello-config.yaml",
        "001-deployment-legacy-hello.yaml",
    ]
    assert all(r["metadata"]["namespace"] == "legacy" for r in result.resources)
