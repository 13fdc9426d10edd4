"""A chart shaped like the big public ones (hundreds of values, a values.schema.json) renders and exports."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from akua.packaging import export_schema, render
from tests.packaging.fixture_packages import PACKAGES

BIG = PACKAGES / "big-chart"


def _leaves(value) -> int:
    if isinstance(value, dict) and value:
        return sum(_leaves(v) for v in value.values())
    if isinstance(value, list) and value:
        return sum(_leaves(v) for v in value)
    return 1


@pytest.fixture(scope="module")
def schema():
    return export_schema(BIG)


def test_the_fixture_is_big_and_its_values_schema_uses_the_hard_parts():
    values = yaml.safe_load((BIG / "chart" / "values.yaml").read_text())
    text = (BIG / "chart" / "values.schema.json").read_text()
    assert _leaves(values) >= 300
    assert '"enum"' in text and '"oneOf"' in text and '"array"' in text
    jsonschema.validate(values, json.loads(text))


def test_it_renders_every_enabled_component():
    result = render(BIG)
    kinds = [r["kind"] for r in result.resources]
    assert kinds.count("Deployment") == 9
    assert kinds.count("HorizontalPodAutoscaler") == 6
    # template path order: components.yaml (per component: ConfigMap, Service, ...), pvc.yaml
    assert kinds[0] == "ConfigMap" and kinds[-1] == "PersistentVolumeClaim"
    assert "PersistentVolumeClaim" in kinds


def test_inputs_reach_deep_values():
    result = render(
        BIG, {"values": {"api": {"image": {"tag": "9.9.9"}, "autoscaling": {"enabled": False}}}}
    )
    api = next(
        r
        for r in result.resources
        if r["kind"] == "Deployment" and r["metadata"]["name"] == "big-big-api"
    )
    assert (
        api["spec"]["template"]["spec"]["containers"][0]["image"] == "docker.io/example/api:9.9.9"
    )
    assert api["spec"]["replicas"] == 1


def test_an_enum_violation_is_refused_by_the_input_schema():
    from akua.packaging import PackagingError

    with pytest.raises(PackagingError) as err:
        render(BIG, {"values": {"web": {"image": {"pullPolicy": "Sometimes"}}}})
    assert err.value.file.endswith("package.k")


def test_it_exports_a_valid_schema_whose_defaults_match_the_chart_values(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    values = schema["properties"]["values"]
    api = values["properties"]["api"]["properties"]
    assert api["image"]["properties"]["pullPolicy"]["enum"] == ["Always", "IfNotPresent", "Never"]
    assert api["service"]["properties"]["targetPort"]["oneOf"] == [
        {"type": "integer"},
        {"type": "string"},
    ]
    assert (
        values["properties"]["ingress"]["properties"]["hosts"]["items"]["title"]
        == "ValuesIngressHostsItem"
    )
    chart_values = yaml.safe_load((BIG / "chart" / "values.yaml").read_text())
    assert values["properties"]["api"]["default"]["image"] == chart_values["api"]["image"]
    jsonschema.Draft202012Validator(values).validate(values["default"])
