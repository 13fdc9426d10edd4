"""Find each dependency's files on disk, and say what it is: a Helm chart or an Akua package.

Where a dependency is looked for, first match wins:
1. `upstream/<alias>/`          vendored copy committed with the package
2. `.akua/vendor/<alias>/`      Akua's own vendor directory
3. `path = "..."` in akua.toml  relative to the package directory
4. fetched and vendored (akua.packaging.vendor), only when fetching is allowed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from akua.packaging.errors import PackagingError
from akua.packaging.manifest import MANIFEST_FILE, Dependency

CHART = "chart"
PACKAGE = "package"


@dataclass(frozen=True)
class Resolved:
    alias: str
    kind: str  # CHART or PACKAGE
    dir: Path
    dependency: Dependency


def candidates(package_dir: Path, dep: Dependency) -> list[Path]:
    found = [package_dir / "upstream" / dep.alias, package_dir / ".akua" / "vendor" / dep.alias]
    if dep.kind == "path":
        found.append(package_dir / dep.path)
    return found


def resolve(package_dir: Path, dep: Dependency, *, allow_fetch: bool = False) -> Resolved:
    package_dir = Path(package_dir)
    where = str(package_dir / MANIFEST_FILE)
    for candidate in candidates(package_dir, dep):
        if candidate.is_dir() or candidate.is_file():
            _refuse_links(package_dir, candidate, dep.alias, where)
            return Resolved(
                dep.alias, kind_of(candidate, dep.alias, where), candidate.resolve(), dep
            )
    if dep.kind == "path":
        raise PackagingError(f"dependency {dep.alias}: path {dep.path} does not exist", file=where)
    if not allow_fetch:
        raise PackagingError(
            f"dependency {dep.alias} is not vendored; run `python -m akua.packaging vendor {package_dir}`",
            file=where,
        )
    try:
        from akua.packaging.vendor import vendor_dependency
    except ImportError:
        raise PackagingError(
            f"dependency {dep.alias} is not vendored and this build of Akua cannot fetch it; "
            f"run `python -m akua.packaging vendor {package_dir}`",
            file=where,
        ) from None
    fetched = Path(vendor_dependency(package_dir, dep))
    return Resolved(dep.alias, kind_of(fetched, dep.alias, where), fetched.resolve(), dep)


def _refuse_links(package_dir: Path, candidate: Path, alias: str, where: str) -> None:
    """A dependency inside the package is its own files, never a link to somewhere else."""
    base = Path(os.path.abspath(package_dir))
    path = Path(os.path.normpath(os.path.abspath(candidate)))
    if not path.is_relative_to(base):
        return  # `path = "../x"` in akua.toml: named by the author, not found through a link
    while path != base:
        if path.is_symlink():
            raise PackagingError(
                f"dependency {alias}: {path.relative_to(base).as_posix()} is a symbolic link; "
                "commit the dependency's files instead",
                file=where,
            )
        path = path.parent


def kind_of(path: Path, alias: str, where: str) -> str:
    """CHART for a chart directory or .tgz, PACKAGE for akua.toml + package.k."""
    if path.is_file() and path.name.endswith((".tgz", ".tar.gz")):
        return CHART
    if (path / "Chart.yaml").is_file():
        return CHART
    if (path / MANIFEST_FILE).is_file() and (path / "package.k").is_file():
        return PACKAGE
    raise PackagingError(
        f"dependency {alias}: {path} is neither a Helm chart (Chart.yaml) nor an Akua package (akua.toml + package.k)",
        file=where,
    )
