"""A package dependency is importable as `pkgs.<alias>` and can be rendered more than once."""

from __future__ import annotations

from akua.packaging import export_schema, render
from tests.packaging.fixture_packages import PACKAGES


def test_the_same_dependency_renders_with_each_set_of_inputs():
    result = render(PACKAGES / "nested-twice")
    assert [(r["metadata"]["name"], r.get("data")) for r in result.resources] == [
        ("frontend", {"tier": "web"}),
        ("backend", {"tier": "api"}),
        ("by-path", {}),
    ]


def test_the_outer_inputs_reach_the_nested_package():
    result = render(
        PACKAGES / "nested-twice",
        {"frontend": {"name": "shop", "data": {"a": "1"}}, "backend": "db"},
    )
    assert [r["metadata"]["name"] for r in result.resources] == ["shop", "db", "by-path"]
    # KCL merges given mappings into the attribute's default
    assert result.resources[0]["data"] == {"tier": "web", "a": "1"}


def test_the_dependencys_input_schema_nests_into_the_export():
    schema = export_schema(PACKAGES / "nested-twice")
    frontend = schema["properties"]["frontend"]
    assert frontend["title"] == "Input"
    assert frontend["properties"]["name"] == {
        "type": "string",
        "description": "The ConfigMap's name.",
        "x-ui": {"order": 1},
    }
    assert frontend["default"] == {"name": "frontend", "data": {"tier": "web"}}


def test_the_earliest_form_renders_a_nested_package_without_akua_toml():
    result = render(PACKAGES / "early-pkg-compose")
    assert [(r["metadata"]["name"], r["data"]) for r in result.resources] == [
        ("config-frontend", {"role": "frontend"}),
        ("config-backend", {"role": "backend"}),
    ]
