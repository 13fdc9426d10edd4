"""Export a package's inputs as JSON Schema 2020-12 (the conversion runs in the sandbox:
akua.packaging.kcl_schema). A package.k without `schema Input` has no inputs: its schema
is an empty object, and it renders and installs with none."""

from __future__ import annotations

from pathlib import Path

from akua.packaging import sandbox
from akua.packaging.sandbox import Limits

DIALECT = "https://json-schema.org/draft/2020-12/schema"
INPUT_SCHEMA = "Input"


def export_schema(package_dir, *, limits: Limits | None = None) -> dict:
    """The JSON Schema of the package's inputs."""
    schema = sandbox.run("export", Path(package_dir), limits=limits)
    out = {"$schema": DIALECT, "title": INPUT_SCHEMA}
    if schema is None:
        out.update({"type": "object", "properties": {}})
        return out
    out.update({k: v for k, v in schema.items() if k != "title"})
    return out
