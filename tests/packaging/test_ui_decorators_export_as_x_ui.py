"""`@ui(...)` decorators become `x-ui` in the exported JSON Schema, and KCL never sees them."""

from __future__ import annotations

import jsonschema
import pytest

from akua.packaging import PackagingError, export_schema, render
from akua.packaging.ui import scan
from tests.packaging.fixture_packages import PACKAGES, write_package

UI = PACKAGES / "ui-export"


@pytest.fixture(scope="module")
def schema():
    return export_schema(UI)


def test_the_export_is_a_2020_12_schema_titled_input(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Input"
    assert schema["description"] == "Everything the install wizard asks."


def test_decorators_with_order_group_widget_and_sensitive_become_x_ui(schema):
    props = schema["properties"]
    assert props["name"]["x-ui"] == {
        "order": 10,
        "group": "Identity",
        "label": "App name",
        "placeholder": "my-app",
    }
    assert props["replicas"]["x-ui"] == {
        "order": 20,
        "group": "Scale",
        "widget": "slider",
        "min": 1,
        "max": 10,
    }
    assert props["ratio"]["x-ui"] == {"order": 30, "group": "Scale"}  # written over several lines
    assert props["apiKey"]["x-ui"] == {
        "order": 99,
        "group": "Secrets",
        "widget": "password",
        "sensitive": True,
    }
    assert props["database"]["properties"]["password"]["x-ui"] == {
        "widget": "password",
        "sensitive": True,
    }
    assert "x-ui" not in props["debug"]


def test_types_defaults_docstrings_and_required_are_exported(schema):
    props = schema["properties"]
    assert list(props) == [
        "name",
        "replicas",
        "ratio",
        "debug",
        "tier",
        "port",
        "hosts",
        "labels",
        "database",
        "extra",
        "apiKey",
    ]
    assert props["name"]["description"] == "Internal name, lower case."
    assert props["name"]["default"] == "hello"
    assert props["ratio"] == {
        "type": "number",
        "x-ui": {"order": 30, "group": "Scale"},
        "default": 0.5,
    }
    assert props["debug"] == {"type": "boolean", "default": False}
    assert props["tier"] == {
        "enum": ["small", "medium", "large"],
        "description": "Size class.",
        "default": "small",
    }
    assert props["port"] == {"oneOf": [{"type": "integer"}, {"type": "string"}], "default": 8080}
    assert props["hosts"] == {
        "type": "array",
        "items": {"type": "string"},
        "default": ["a.example.com"],
    }
    assert props["labels"] == {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "default": {"team": "web"},
    }
    assert props["database"]["default"] == {"host": "db.internal", "port": 5432}
    assert props["extra"]["items"]["title"] == "Database"
    optional = ("ratio", "extra", "apiKey")  # declared `ratio?:` and so on
    assert schema["required"] == [name for name in props if name not in optional]


def test_the_defaults_validate_against_the_exported_schema(schema):
    defaults = {k: v["default"] for k, v in schema["properties"].items() if "default" in v}
    jsonschema.validate(defaults, schema)


def test_the_package_renders_with_the_decorators_stripped():
    assert render(UI).resources[0]["data"] == {"tier": "small"}


def test_stripping_keeps_line_numbers_so_errors_point_at_the_right_line(tmp_path):
    pkg = write_package(
        tmp_path,
        """
        schema Input:
            @ui(order=1)
            a: int = 1
        input: Input = option("input") or Input {}
        resources = [{kind = "ConfigMap", metadata.name = input.missing}]
        """,
    )
    assert scan((pkg / "package.k").read_text()).code.split("\n")[1] == ""
    with pytest.raises(PackagingError) as err:
        render(pkg)
    assert err.value.line == 5


def test_an_unknown_ui_key_is_refused_with_its_line(tmp_path):
    pkg = write_package(
        tmp_path, 'schema Input:\n    @ui(colour="red")\n    a: int = 1\nresources = []\n'
    )
    with pytest.raises(PackagingError) as err:
        export_schema(pkg)
    assert "unknown key 'colour'" in str(err.value)
    assert err.value.line == 2


def test_any_key_keyword_and_multi_line_default_keeps_its_ui_and_docstring(tmp_path):
    package = write_package(
        tmp_path,
        '''
        import akua.ctx

        schema Input:
            @ui(order=2, advanced=True, group="Advanced")
            "redis-ha": {str:} = {
                "enabled": False
                "replicas": 3
            }
            """Redis in HA mode; see [the docs](https://example.com/redis)."""

            @ui(order=1)
            $type: str = "ClusterIP"  # a comment (with a bracket [
            """The Service type: \\"ClusterIP\\" or a path like C:\\\\x."""

            "grafana.ini"?: {str:}
            """First line.

            Second paragraph."""

        input: Input = ctx.input()
        resources = []
        ''',
    )
    props = export_schema(package)["properties"]
    assert props["redis-ha"]["x-ui"] == {"order": 2, "advanced": True, "group": "Advanced"}
    assert props["redis-ha"]["description"] == (
        "Redis in HA mode; see [the docs](https://example.com/redis)."
    )
    assert props["type"]["x-ui"] == {"order": 1}
    assert props["type"]["description"] == 'The Service type: "ClusterIP" or a path like C:\\x.'
    assert props["grafana.ini"]["description"] == "First line.\n\nSecond paragraph."
