"""A package generated from a chart shaped like the big public ones (tests/fixtures/charts/proxy)
renders with no inputs as Helm renders the chart with no values, exposes every property of its
values.schema.json, passes keys like `redis-ha` and `proxy.ini` under their own names, and its
report names every `lookup` call."""

from __future__ import annotations

import json

import pytest
import yaml

from akua.packaging import export_schema, render
from akua.packaging.engines.helm import render_chart
from tests.packaging.fixture_packages import CHARTS
from tests.packaging.generated_packages import generate_package
from tests.packaging.schema_paths import property_paths

CHART = CHARTS / "proxy"
ESSENTIALS = ["image", "ports", "service"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    package, report = generate_package(
        CHART, tmp_path_factory.mktemp("proxy") / "pkg", essentials=ESSENTIALS
    )
    return package, report, export_schema(package)


def by_identity(resources: list[dict]) -> dict:
    return {
        (r["kind"], (r.get("metadata") or {}).get("namespace", ""), r["metadata"]["name"]): r
        for r in resources
    }


def helm_default() -> dict:
    return by_identity(render_chart(CHART.resolve(), {}, release="proxy", namespace="default"))


def test_the_fixture_is_shaped_like_the_big_charts():
    schema = json.loads((CHART / "values.schema.json").read_text())
    assert len(property_paths(schema)) >= 600
    assert any(".*." in p for p in property_paths(schema))  # under additionalProperties
    assert any(".[]." in p for p in property_paths(schema))  # under items
    keys = list(yaml.safe_load((CHART / "values.yaml").read_text()))
    assert keys[:3] == ["image", "deployment", "ports"] and keys != sorted(keys)
    assert list(schema["properties"]) == sorted(schema["properties"])
    assert {"redis-ha", "proxy.ini", "3rdParty"} <= set(keys)
    assert len(list((CHART / "crds").iterdir())) == 5


def test_with_no_inputs_it_renders_exactly_as_helm_renders_the_chart(generated):
    package, _report, _schema = generated
    ours = by_identity(render(package, release="proxy").resources)  # helm install proxy
    assert ours == helm_default()
    assert ("Pod", "default", "proxy-test") not in ours  # the test hook is left out


def test_its_defaults_are_values_yaml_not_the_schemas(generated):
    """Given back as inputs, every default of the Input renders the same as no inputs at all."""
    _package, report, schema = generated
    props = schema["properties"]
    assert props["deployment"]["properties"]["replicas"]["default"] == 1  # the schema says 3
    assert props["service"]["properties"]["type"]["default"] == "LoadBalancer"
    assert props["logs"]["properties"]["general"]["properties"]["level"]["default"] == "INFO"
    assert "default" not in props["api"]["properties"]["basePath"]  # only the schema has one
    disagreeing = {d.path for d in report.schema_defaults}
    assert {"deployment.replicas", "service.type", "logs.general.level"} <= disagreeing
    package = generated[0]
    explicit = {k: v["default"] for k, v in props.items() if "default" in v}
    assert by_identity(render(package, explicit, release="proxy").resources) == helm_default()


def test_every_property_of_the_values_schema_is_an_input(generated):
    _package, _report, schema = generated
    chart_schema = json.loads((CHART / "values.schema.json").read_text())
    missing = property_paths(chart_schema) - property_paths(schema)
    assert not missing, sorted(missing)[:20]


def test_keys_with_hyphens_dots_and_digits_are_passed_under_their_own_names(generated):
    package, _report, schema = generated
    assert {"redis-ha", "proxy.ini", "3rdParty"} <= set(schema["properties"])
    result = render(
        package,
        {
            "redis-ha": {"enabled": True, "replicas": 5},
            "proxy.ini": {"server": {"root_url": "https://proxy.example.org/"}},
            "3rdParty": {"enabled": True},
            "ports": {"web": {"exposedPort": 8081}},
        },
        release="proxy",
    )
    objects = by_identity(result.resources)
    assert objects[("StatefulSet", "default", "proxy-redis-ha")]["spec"]["replicas"] == 5
    config = objects[("ConfigMap", "default", "proxy-config")]["data"]
    assert "root_url = https://proxy.example.org/" in config["proxy.ini"]
    assert "http_port = 3000" in config["proxy.ini"]  # the rest of the section is the chart's
    assert config["third-party"] == "true"
    ports = objects[("Service", "default", "proxy")]["spec"]["ports"]
    assert {p["name"]: p["port"] for p in ports} == {"web": 8081, "websecure": 443}


def test_the_report_names_every_lookup_call(generated):
    _package, report, _schema = generated
    assert [str(call) for call in report.lookups] == [
        "charts/common/templates/_secrets.tpl:7",
        "templates/NOTES.txt:2",
        "templates/hub.yaml:2",
    ]
    assert [call.rendered for call in report.lookups] == [True, False, True]


def test_the_order_is_values_yaml_with_the_essentials_first(generated):
    _package, _report, schema = generated
    props = schema["properties"]
    keys = list(yaml.safe_load((CHART / "values.yaml").read_text()))
    by_order = sorted(props, key=lambda k: props[k]["x-ui"]["order"])
    assert by_order == ESSENTIALS + [k for k in keys if k not in ESSENTIALS]
    assert all("advanced" not in props[k]["x-ui"] for k in ESSENTIALS)
    assert all(props[k]["x-ui"]["advanced"] is True for k in keys if k not in ESSENTIALS)
    assert all(props[k]["x-ui"]["group"] == "Advanced" for k in keys if k not in ESSENTIALS)
    web = props["ports"]["properties"]["web"]["properties"]
    assert sorted(web, key=lambda k: web[k]["x-ui"]["order"])[:3] == [
        "port",
        "hostPort",
        "containerPort",
    ]


def test_descriptions_keep_their_markdown_and_notes(generated):
    _package, _report, schema = generated
    image = schema["properties"]["image"]["properties"]
    assert image["tag"]["description"] == (
        "Image tag; defaults to the chart's appVersion.\n"
        "NOTE: requires a tag published on [the registry](https://docs.example.com/tags)."
    )
    volumes = schema["properties"]["volumes"]
    assert "- name: public-cert" not in volumes["description"]  # a commented-out value
