"""Generating Akua packages from what vendors already have: a Helm chart or an image.

Pure Python, no Django. `generate_chart` writes a package.k whose Input holds the chart
values a vendor exposes (types, defaults and descriptions from values.schema.json and
values.yaml) and reports what the vendor should know (`lookup` calls, schema defaults
Helm ignores); `image_package_k` writes one for a container image; `akua_toml` the
manifest with the dependency pinned; `chart_values` lists a chart's values to pick from.
"""

from akua.packaging.generate.chart import (
    ChartPackage,
    GeneratedChart,
    chart_package_k,
    generate_chart,
)
from akua.packaging.generate.image import image_package_k
from akua.packaging.generate.report import GenerationReport, LookupCall, find_lookups
from akua.packaging.generate.toml import akua_toml
from akua.packaging.generate.values import MISSING, ValueNode, chart_values

__all__ = [
    "MISSING",
    "ChartPackage",
    "GeneratedChart",
    "GenerationReport",
    "LookupCall",
    "ValueNode",
    "akua_toml",
    "chart_package_k",
    "chart_values",
    "find_lookups",
    "generate_chart",
    "image_package_k",
]
