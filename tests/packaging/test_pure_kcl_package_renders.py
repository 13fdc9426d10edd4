"""A package written in KCL alone renders its `resources` to manifest files."""

from __future__ import annotations

from akua.packaging import render
from tests.packaging.fixture_packages import PACKAGES

PURE = PACKAGES / "pure-kcl"


def test_it_uses_inputs_example_yaml_when_no_inputs_are_given():
    result = render(PURE)
    assert [f.name for f in result.files] == [
        "000-configmap-demo-index.yaml",
        "001-deployment-demo.yaml",
    ]
    assert result.resources[1]["spec"]["replicas"] == 3


def test_it_fills_in_schema_defaults_for_inputs_left_out():
    result = render(PURE, {"name": "shop"})
    deployment = result.resources[1]
    assert deployment["metadata"]["name"] == "shop"
    assert deployment["spec"]["replicas"] == 2
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_it_writes_yaml_in_the_key_order_kcl_produced_with_literal_blocks_and_unicode():
    content = render(PURE).files[0].content.decode("utf-8")
    assert content == (
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        "  name: demo-index\n"
        "  labels:\n"
        "    app.kubernetes.io/name: demo\n"
        "data:\n"
        "  index.html: |\n"
        "    <h1>Hello, world</h1>\n"
        "    <p>Ünïcødé stays as it is.</p>\n"
    )


def test_it_writes_sequences_flush_with_their_key():
    content = render(PURE).files[1].content.decode("utf-8")
    assert "      containers:\n      - name: web\n" in content
