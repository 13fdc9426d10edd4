"""An object a values.schema.json lists properties of is open unless the schema says
`additionalProperties: false`, as JSON Schema (and so `helm install`) reads it: a proxy
chart's `ports` takes a new entry point under any name, shaped as the fields its named
entries share. Before, generation closed every object with properties, and `ports.udp` was
refused ("No attribute named 'udp'")."""

from __future__ import annotations

import pytest

from akua.packaging import export_schema, render
from akua.packaging.engines.helm import render_chart
from akua.packaging.errors import PackagingError
from tests.packaging.fixture_packages import CHARTS
from tests.packaging.generated_packages import generate_package

CHART = CHARTS / "openobjects"


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    directory, _report = generate_package(CHART, tmp_path_factory.mktemp("open") / "pkg")
    return directory


def test_a_new_entry_under_an_open_object_renders_as_helm_renders_it(package):
    inputs = {"ports": {"udp": {"port": 9000}, "web": {"port": 8080}}}
    ours = render(package, inputs, release="edge").resources
    assert ours == render_chart(CHART.resolve(), inputs, release="edge", namespace="default")
    assert ours[0]["data"] == {"udp": "9000", "web": "8080", "websecure": "8443", "tls": "false"}


def test_a_closed_object_refuses_another_key_as_helm_does(package):
    with pytest.raises(PackagingError, match="bogus"):
        render(package, {"tls": {"bogus": True}}, release="edge")
    with pytest.raises(PackagingError, match="bogus"):
        render_chart(CHART.resolve(), {"tls": {"bogus": True}}, release="edge", namespace="d")


def test_the_exported_schema_says_which_is_which(package):
    schema = export_schema(package)
    ports, tls = schema["properties"]["ports"], schema["properties"]["tls"]
    assert set(ports["properties"]) == {"web", "websecure"}
    # another entry point is shaped as the fields the named ones share
    assert set(ports["additionalProperties"]["properties"]) == {"port", "expose"}
    assert tls.get("additionalProperties") is False
