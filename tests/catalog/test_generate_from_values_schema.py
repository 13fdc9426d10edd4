"""big-chart: the Input comes from values.schema.json (types, enums, unions), defaults from values.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

from akua.packaging import export_schema, render
from akua.packaging.generate import ChartPackage, akua_toml, chart_package_k, chart_values

CHART = Path(__file__).parents[1] / "fixtures" / "packages" / "big-chart" / "chart"


def test_a_large_schema_lists_hundreds_of_values():
    paths = [node.path for node in chart_values(CHART).walk()]
    assert len(paths) > 300
    assert "api.service.type" in paths


def test_generated_package_exports_and_renders_the_exposed_values(tmp_path):
    package = tmp_path / "pkg"
    shutil.copytree(CHART, package / "upstream" / "big")
    (package / "akua.toml").write_text(
        akua_toml("big", "1.0.0", alias="big", dependency={"path": "./upstream/big"})
    )
    spec = ChartPackage(
        name="big",
        alias="big",
        exposed=[
            "worker.replicaCount",
            "api.service",
            "global.imageRegistry",
            "externalDatabase.sslMode",
        ],
        ui={"worker.replicaCount": {"label": "Worker pods", "group": "Scale", "order": 1}},
    )
    (package / "package.k").write_text(chart_package_k(package / "upstream" / "big", spec))
    schema = export_schema(package)
    props = schema["properties"]
    assert set(props) == {"global", "externalDatabase", "api", "worker"}
    service = props["api"]["properties"]["service"]["properties"]
    assert service["type"]["enum"] == ["ClusterIP", "NodePort", "LoadBalancer"]
    assert service["targetPort"]["oneOf"] == [{"type": "integer"}, {"type": "string"}]
    assert props["externalDatabase"]["properties"]["sslMode"]["enum"] == [
        "disable",
        "prefer",
        "require",
    ]
    assert props["worker"]["properties"]["replicaCount"]["x-ui"]["label"] == "Worker pods"

    result = render(
        package, {"worker": {"replicaCount": 4}, "api": {"service": {"port": 9999}}}, release="big"
    )
    named = {(r["kind"], r["metadata"]["name"]): r for r in result.resources}
    assert named[("Deployment", "big-big-worker")]["spec"]["replicas"] == 4
    assert named[("Service", "big-big-api")]["spec"]["ports"][0]["port"] == 9999
