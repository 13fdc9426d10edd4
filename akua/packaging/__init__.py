"""The packaging substrate: load an Akua package, export its input schema, render it to manifests.

Pure Python; nothing here knows about Django. Package code runs only in a sealed child
process (akua.packaging.sandbox), the one place kcl-lib and the Helm engine are loaded.

    from akua.packaging import render, write_manifests, export_schema
    result = render("path/to/package")          # inputs.yaml / inputs.example.yaml / {}
    write_manifests(result, "path/to/package/manifests")
    result.hash                                  # "sha256:..."
"""

from akua.packaging.errors import PackagingError
from akua.packaging.manifests import ManifestFile, RenderResult, write_manifests
from akua.packaging.package import Package, load_package
from akua.packaging.render import render, render_chart
from akua.packaging.sandbox import Limits, default_limits, set_default_limits
from akua.packaging.schema import export_schema

__all__ = [
    "Limits",
    "ManifestFile",
    "Package",
    "PackagingError",
    "RenderResult",
    "default_limits",
    "export_schema",
    "load_package",
    "render",
    "render_chart",
    "set_default_limits",
    "write_manifests",
]
