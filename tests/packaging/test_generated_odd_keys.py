"""Keys and values that are awkward anywhere but in a values.yaml still generate a package that
renders as Helm does: quotes, backslashes, `${`, newlines, the empty key, KCL keywords and
schema-like names, numbers beyond 64 bits, YAML 1.1 booleans (`on`, `y`) as Helm reads them."""

from __future__ import annotations

import json

import pytest

from akua.packaging import export_schema, render
from akua.packaging.engines.helm import render_chart
from akua.packaging.errors import PackagingError
from tests.packaging.fixture_packages import CHARTS
from tests.packaging.generated_packages import generate_package

CHART = CHARTS / "oddkeys"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    package, report = generate_package(CHART, tmp_path_factory.mktemp("odd") / "pkg", name="odd")
    return package, report, export_schema(package)


def values_seen(resources) -> dict:
    return json.loads(resources[0]["data"]["values.json"])


def test_it_renders_as_helm_with_no_inputs_and_with_its_defaults_given(generated):
    package, _report, schema = generated
    helm = render_chart(CHART.resolve(), {}, release="odd", namespace="default")
    assert render(package, release="odd").resources == helm
    defaults = {k: v["default"] for k, v in schema["properties"].items() if "default" in v}
    assert render(package, defaults, release="odd").resources == helm
    assert defaults["switch"] is True and defaults["multi\nline"] is True  # YAML 1.1, as Helm
    assert defaults["octal"] == 511


def test_every_key_is_an_input_under_its_own_name_but_one_kcl_cannot_name(generated):
    _package, report, schema = generated
    assert set(schema["properties"]) == {
        'say "hi"', "back\\slash", "${interp}", "multi\nline", "", "Input", "_private",
        "true", "type", "check", "ünïcode", "a b", "big", "text", "switch", "octal",
        "nested", "list",
    }  # fmt: skip
    assert report.unnamed == ['"both \' and \\" and ${x}"']
    assert schema["properties"]['say "hi"']["description"] == "Keys any values.yaml can hold."


def test_odd_keys_round_trip_to_the_chart(generated):
    package, _report, _schema = generated
    seen = values_seen(
        render(
            package,
            {'say "hi"': 2, "${interp}": "set", "nested": {"x.y": {"0": "one"}}, "type": "t"},
        ).resources
    )
    assert seen['say "hi"'] == 2 and seen["${interp}"] == "set" and seen["type"] == "t"
    assert seen["nested"] == {"x.y": {"0": "one"}}


def test_an_essential_whose_key_holds_a_dot_is_asked_for_quoted(tmp_path):
    """`grafana.ini` typed bare is the path grafana → ini; the message says how to name it."""
    with pytest.raises(PackagingError, match=r'write it quoted: "proxy\.ini"'):
        generate_package(CHARTS / "proxy", tmp_path / "pkg", essentials=["proxy.ini"])
    _package, _report = generate_package(
        CHARTS / "proxy", tmp_path / "pkg2", essentials=['"proxy.ini"']
    )
