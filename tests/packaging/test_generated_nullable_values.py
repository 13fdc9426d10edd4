"""A value whose values.schema.json type allows `null` takes `null` as an input even when
values.yaml gives it another default (traefik's `api.basePath: ""` typed `[string, null]`):
the chart then gets the `null`, as `helm install --set api.basePath=null` gives it. A
`minimum: 0` is kept as `@ui(min=0)`."""

from __future__ import annotations

import pytest

from akua.packaging import export_schema, render
from akua.packaging.engines.helm import render_chart
from akua.packaging.errors import PackagingError
from tests.packaging.fixture_packages import CHARTS
from tests.packaging.generated_packages import generate_package

CHART = CHARTS / "nullable"


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    directory, _report = generate_package(CHART, tmp_path_factory.mktemp("nullable") / "pkg")
    return directory


def flags(resources) -> dict:
    return resources[0]["data"]


@pytest.mark.parametrize(
    "inputs",
    [
        {"api": {"basePath": None}},
        {"metrics": {"headerLabels": None}},
        {"metrics": {"interval": None}},
        {"api": {"basePath": None}, "metrics": {"headerLabels": None, "interval": None}},
    ],
)
def test_a_null_the_schema_allows_is_taken_and_reaches_the_chart(package, inputs):
    ours = render(package, inputs, release="nullable").resources
    assert ours == render_chart(CHART.resolve(), inputs, release="nullable", namespace="default")
    assert "unset" in flags(ours).values()


def test_without_inputs_the_defaults_of_values_yaml_apply(package):
    ours = render(package, release="nullable").resources
    assert flags(ours) == {"basePath": "", "headerLabels": "{}", "interval": "10"}
    assert ours == render_chart(CHART.resolve(), {}, release="nullable", namespace="default")


def test_a_value_of_another_type_is_still_refused(package):
    with pytest.raises(PackagingError, match="expect str, got int"):
        render(package, {"api": {"basePath": 3}}, release="nullable")


def test_a_minimum_of_zero_is_kept(package):
    interval = export_schema(package)["properties"]["metrics"]["properties"]["interval"]
    assert interval["x-ui"]["min"] == 0
    assert "@ui(order=2, min=0)" in (package / "package.k").read_text()
