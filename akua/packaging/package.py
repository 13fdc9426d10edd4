"""A package on disk: akua.toml, package.k (with `@ui` read out), and its input files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from akua.packaging.errors import PackagingError
from akua.packaging.manifest import MANIFEST_FILE, PackageManifest, load_manifest
from akua.packaging.ui import SourceInfo, scan
from akua.packaging.yamlio import load

PROGRAM_FILE = "package.k"
INPUT_FILES = ("inputs.yaml", "inputs.example.yaml")


@dataclass
class Package:
    dir: Path
    manifest: (
        PackageManifest | None
    )  # None only for a nested package rendered by path without akua.toml
    source: SourceInfo

    @property
    def program_file(self) -> Path:
        return self.dir / PROGRAM_FILE

    @property
    def name(self) -> str:
        return self.manifest.name if self.manifest else self.dir.name

    @property
    def dependencies(self) -> dict:
        return dict(self.manifest.dependencies) if self.manifest else {}


def load_package(package_dir, *, require_manifest: bool = True) -> Package:
    """Read and check a package directory; raises PackagingError naming the file at fault."""
    package_dir = Path(package_dir)
    if not package_dir.is_dir():
        raise PackagingError(f"{package_dir} is not a directory")
    program = package_dir / PROGRAM_FILE
    manifest = None
    if require_manifest or (package_dir / MANIFEST_FILE).is_file():
        manifest = load_manifest(package_dir)
    if not program.is_file():
        raise PackagingError(f"no {PROGRAM_FILE} in {package_dir}", file=str(program))
    try:
        text = program.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PackagingError(f"{PROGRAM_FILE} is not UTF-8 text", file=str(program)) from None
    return Package(dir=package_dir, manifest=manifest, source=scan(text, file=str(program)))


def default_inputs(package_dir) -> dict:
    """inputs.yaml next to package.k, else inputs.example.yaml, else no inputs."""
    for name in INPUT_FILES:
        path = Path(package_dir) / name
        if path.is_file():
            return read_inputs(path)
    return {}


def read_inputs(path) -> dict:
    path = Path(path)
    try:
        data = load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackagingError("inputs file not found", file=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PackagingError(
            f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
            file=str(path),
            line=mark.line + 1 if mark else None,
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PackagingError("inputs must be a mapping of input names to values", file=str(path))
    return data
