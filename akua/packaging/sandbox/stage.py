"""The parent's half of a render: resolve (and fetch) dependencies, then copy what the child needs.

Planning (`stage_package`, `stage_tree`) reads and fetches; `Stage.copy_into` copies, straight
into the child's root, once a child is chosen.

Everything the render child may read is copied into its private root, as trees named
`tree0`, `tree1`, ...: the package (tree0), each dependency that sits outside it (a
path dependency like `../../charts/hello`), and, recursively, the dependencies of nested
packages. Dependencies inside the package (`upstream/x`, `.akua/vendor/x`, `./charts/x`)
come along with it. Copies never follow a symbolic link: a link is copied as a link, so
one pointing outside its tree points at nothing in the child's root. `.git` directories
and the package's own `manifests/` (the render's output) are left out.

`Stage.resolution` tells the child where each package's dependencies are: the child
only reads files, it never resolves against the network or the parent's disk.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from akua.packaging.context import MAX_DEPTH
from akua.packaging.errors import PackagingError
from akua.packaging.package import load_package
from akua.packaging.resolve import PACKAGE, Resolved, resolve

_SKIP_ALWAYS = {".git"}
_SKIP_AT_PACKAGE_ROOT = {"manifests"}


@dataclass
class Stage:
    """What to copy into a child's root, and where the child finds each dependency."""

    trees: dict[str, tuple[Path, bool]] = field(
        default_factory=dict
    )  # name -> (original, package?)
    resolution: dict[str, dict[str, dict]] = field(default_factory=dict)

    def staged(self, original: Path) -> str | None:
        """The staged name of `original` if a tree holds it already (itself or within)."""
        original = original.resolve()
        for name, (source, _) in self.trees.items():
            if original == source:
                return name
            if original.is_relative_to(source) and source.is_dir():
                return f"{name}/{original.relative_to(source).as_posix()}"
        return None

    def place(self, original: Path, *, package: bool) -> str:
        """The staged name of `original` (a directory or a chart .tgz), a new tree if need be."""
        original = original.resolve()
        if (known := self.staged(original)) is not None:
            return known
        if not original.exists():
            raise PackagingError(f"{original} does not exist")
        name = f"tree{len(self.trees)}"
        self.trees[name] = (original, package)
        return name

    def copy_into(self, root: Path) -> None:
        """Copy every tree into `root` (a directory of the child's private root)."""
        for name, (source, package) in self.trees.items():
            target = root / name
            if source.is_dir():
                _copy_tree(source, target, package=package)
            else:
                shutil.copyfile(source, target, follow_symlinks=False)

    def to_original(self, text: str, seen: str) -> str:
        """Replace staged paths in a message (the child saw the trees under `seen`) by the
        original ones."""
        prefix = seen.rstrip("/") + "/"
        for name in sorted(self.trees, key=len, reverse=True):
            text = text.replace(prefix + name, str(self.trees[name][0]))
        return text


def stage_package(package_dir: Path, *, allow_fetch: bool) -> Stage:
    """Plan the package and everything it depends on; tree0 is the package.

    Every dependency is resolved (and fetched, into a package's .akua/vendor/) first, so
    the copies made later hold what was fetched.
    """
    found: dict[Path, dict[str, Resolved]] = {}
    _resolve(Path(package_dir), found, depth=0, allow_fetch=allow_fetch)
    stage = Stage()
    stage.place(Path(package_dir), package=True)
    for package, deps in found.items():
        name = stage.place(package, package=True)
        stage.resolution[name] = {
            alias: {"kind": d.kind, "dir": stage.place(d.dir, package=d.kind == PACKAGE)}
            for alias, d in deps.items()
        }
    return stage


def stage_tree(target: Path) -> Stage:
    """One directory (a chart) or file (a chart .tgz) as tree0."""
    stage = Stage()
    target = Path(target)
    if not target.exists():
        raise PackagingError(f"chart not found: {target}", file=str(target))
    stage.place(target, package=False)
    return stage


def _resolve(package_dir: Path, found: dict, *, depth: int, allow_fetch: bool) -> None:
    package = load_package(package_dir, require_manifest=depth == 0)
    key = package_dir.resolve()
    if key in found or depth >= MAX_DEPTH:
        return  # seen (a cycle, which the child reports with its chain) or too deep
    deps = found[key] = {
        alias: resolve(package_dir, dep, allow_fetch=allow_fetch)
        for alias, dep in package.dependencies.items()
    }
    for dep in deps.values():
        if dep.kind == PACKAGE:
            _resolve(dep.dir, found, depth=depth + 1, allow_fetch=allow_fetch)


def _copy_tree(source: Path, target: Path, *, package: bool) -> None:
    def ignore(directory, names):
        skip = {n for n in names if n in _SKIP_ALWAYS}
        if package and Path(directory) == source:
            skip |= {n for n in names if n in _SKIP_AT_PACKAGE_ROOT}
        return skip

    shutil.copytree(source, target, symlinks=True, ignore=ignore, copy_function=_copy_file)


def _copy_file(src: str, dst: str) -> None:
    shutil.copyfile(src, dst, follow_symlinks=False)
    if os.access(src, os.X_OK):
        os.chmod(dst, 0o755)
