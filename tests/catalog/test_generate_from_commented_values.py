"""A chart with only a commented values.yaml: types, defaults and comments come through."""

from __future__ import annotations

import shutil
from pathlib import Path

from akua.packaging import export_schema, render
from akua.packaging.generate import ChartPackage, akua_toml, chart_package_k, chart_values

CHART = Path(__file__).parents[1] / "fixtures" / "charts" / "commented"


def generate(tmp_path: Path, exposed: list[str], ui: dict | None = None) -> Path:
    package = tmp_path / "pkg"
    shutil.copytree(CHART, package / "upstream" / "web")
    (package / "akua.toml").write_text(
        akua_toml("web", "1.0.0", alias="web", dependency={"path": "./upstream/web"})
    )
    spec = ChartPackage(name="web", alias="web", exposed=exposed, ui=ui or {})
    (package / "package.k").write_text(chart_package_k(package / "upstream" / "web", spec))
    return package


def test_values_carry_types_defaults_and_comments():
    root = chart_values(CHART)
    assert root.find("replicaCount").kcl_type == "int"
    assert root.find("replicaCount").description == "Number of web pods to run."
    assert root.find("image.tag").description == "Image tag; defaults to the chart's appVersion."
    assert root.find("image.tag").default == "1.4.2"
    assert root.find("features.traceSampleRate").kcl_type == "float"
    assert root.find("features").is_object
    assert root.find("env").kind == "map"  # an empty mapping: any keys


def test_commented_out_yaml_is_not_a_description():
    assert (
        chart_values(CHART).find("resources").description
        == "Resource requests and limits of the web container."
    )


def test_export_shows_the_chosen_values_with_their_descriptions(tmp_path):
    package = generate(
        tmp_path,
        ["replicaCount", "image.tag", "features"],
        ui={"replicaCount": {"label": "Pods", "group": "Scale", "order": 1}},
    )
    schema = export_schema(package)
    props = schema["properties"]
    assert list(props) == ["replicaCount", "image", "features"]
    assert props["replicaCount"]["description"] == "Number of web pods to run."
    assert props["replicaCount"]["x-ui"] == {"label": "Pods", "group": "Scale", "order": 1}
    assert props["image"]["properties"]["tag"] == {
        "type": "string",
        "description": "Image tag; defaults to the chart's appVersion.",
        "default": "1.4.2",
        "x-ui": {"order": 1},
    }
    assert "repository" not in props["image"]["properties"]  # not exposed
    assert (
        props["features"]["properties"]["metrics"]["description"] == "Turn on the metrics endpoint."
    )
    assert "service" not in props


def test_the_chosen_values_reach_the_chart_and_the_rest_keep_defaults(tmp_path):
    package = generate(tmp_path, ["replicaCount", "image.tag"])
    result = render(package, {"replicaCount": 3, "image": {"tag": "2.0.0"}})
    deployment = next(r for r in result.resources if r["kind"] == "Deployment")
    assert deployment["spec"]["replicas"] == 3
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "example/web:2.0.0"  # repository keeps the chart default
    service = next(r for r in result.resources if r["kind"] == "Service")
    assert service["spec"]["ports"][0]["port"] == 80


def test_the_generated_program_is_readable(tmp_path):
    text = (generate(tmp_path, ["replicaCount", "service.type"]) / "package.k").read_text()
    assert "import charts.web" in text
    assert '    replicaCount: int = 1\n    """Number of web pods to run."""' in text
    assert '$type: str = "ClusterIP"' in text
    assert "values = ctx.input()" in text  # only what is set reaches the chart
