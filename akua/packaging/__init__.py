"""The packaging substrate: load an Akua package, export its input schema, render it to manifests.

Pure Python (kcl-lib, helm-python-sdk, YAML); nothing here knows about Django.

    from akua.packaging import render, write_manifests, export_schema
    result = render("path/to/package")          # inputs.yaml / inputs.example.yaml / {}
    write_manifests(result, "path/to/package/manifests")
    result.hash                                  # "sha256:..."
"""

from akua.packaging.errors import PackagingError
from akua.packaging.manifests import ManifestFile, RenderResult, write_manifests
from akua.packaging.package import Package, load_package
from akua.packaging.render import render
from akua.packaging.schema import export_schema

__all__ = [
    "ManifestFile",
    "Package",
    "PackagingError",
    "RenderResult",
    "export_schema",
    "load_package",
    "render",
    "write_manifests",
]
