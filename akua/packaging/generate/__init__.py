"""Generating Akua packages from what vendors already have: a Helm chart or an image.

Pure Python, no Django. `chart_package_k` writes a package.k whose Input holds the chart
values a vendor exposes (types, defaults and descriptions from values.schema.json or
values.yaml); `image_package_k` one for a container image; `akua_toml` the manifest with
the dependency pinned; `chart_values` lists a chart's values for the vendor to pick from.
"""

from akua.packaging.generate.chart import ChartPackage, chart_package_k
from akua.packaging.generate.image import image_package_k
from akua.packaging.generate.toml import akua_toml
from akua.packaging.generate.values import MISSING, ValueNode, chart_values

__all__ = [
    "MISSING",
    "ChartPackage",
    "ValueNode",
    "akua_toml",
    "chart_package_k",
    "chart_values",
    "image_package_k",
]
