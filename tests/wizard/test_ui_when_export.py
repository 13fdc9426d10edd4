"""`@ui(when=...)` in package.k exports as `if`/`then` in the object's `allOf`."""

from __future__ import annotations

from pathlib import Path

import pytest

from akua.packaging import PackagingError, export_schema

PACKAGE = Path(__file__).parent / "package"


def test_when_exports_an_if_then_and_leaves_required():
    schema = export_schema(PACKAGE)
    assert schema["allOf"] == [
        {
            "if": {"properties": {"ingress": {"const": True}}, "required": ["ingress"]},
            "then": {"properties": {"hostname": {}}, "required": ["hostname"]},
        }
    ]
    assert "hostname" not in schema["required"]
    assert schema["properties"]["hostname"]["x-ui"]["when"] == "ingress"


def test_when_must_name_a_sibling(tmp_path):
    (tmp_path / "akua.toml").write_text(
        '[package]\nname = "p"\nversion = "1.0.0"\nedition = "akua.dev/v1alpha1"\n'
    )
    (tmp_path / "package.k").write_text(
        'import akua.ctx\n\nschema Input:\n    @ui(when="nope")\n    host?: str\n\n'
        "input: Input = ctx.input()\nresources = []\n"
    )
    with pytest.raises(PackagingError, match="nope is not an attribute"):
        export_schema(tmp_path)
