"""Generate a package from a fixture chart into a directory, as catalog's generation does.

`generate_package(CHARTS / "proxy", tmp_path / "pkg", essentials=["image", "ports"])`
vendors the chart into `upstream/<alias>/`, writes akua.toml and the generated package.k
(every top-level value exposed unless `exposed` says otherwise) and returns the directory
and the generation report. Publish it with `catalog.actions.publish_package_version`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from akua.packaging.generate import (
    ChartPackage,
    GenerationReport,
    akua_toml,
    chart_values,
    generate_chart,
)


def generate_package(
    chart: Path,
    dest: Path,
    *,
    name: str | None = None,
    version: str = "1.0.0",
    exposed: list[str] | None = None,
    essentials: list[str] | None = None,
) -> tuple[Path, GenerationReport]:
    name = name or chart.name
    alias = name.replace("-", "_")
    shutil.copytree(chart, dest / "upstream" / alias)
    (dest / "akua.toml").write_text(
        akua_toml(name, version, alias=alias, dependency={"path": f"./upstream/{alias}"})
    )
    if exposed is None:
        exposed = [node.path for node in chart_values(chart).children.values()]
    result = generate_chart(
        dest / "upstream" / alias,
        ChartPackage(name=name, alias=alias, exposed=exposed, essentials=essentials or []),
    )
    (dest / "package.k").write_text(result.package_k)
    return dest, result.report
