"""Helpers for the packaging tests: the fixture packages, and small packages written on the fly."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PACKAGES = FIXTURES / "packages"
CHARTS = FIXTURES / "charts"

AKUA_TOML = '[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "akua.dev/v1alpha1"\n'


def write_package(
    root: Path,
    package_k: str,
    *,
    name: str = "scratch",
    toml_extra: str = "",
    files: dict | None = None,
) -> Path:
    """A package directory under root: akua.toml, package.k and any extra files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "akua.toml").write_text(AKUA_TOML.format(name=name) + toml_extra)
    (root / "package.k").write_text(textwrap.dedent(package_k).lstrip())
    for rel, text in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return root


def copy_fixture(name: str, tmp_path: Path) -> Path:
    """Copy a fixture package (and the shared charts it points at) into tmp_path; returns its path."""
    shutil.copytree(CHARTS, tmp_path / "charts", dirs_exist_ok=True)
    target = tmp_path / "packages" / name
    shutil.copytree(PACKAGES / name, target, symlinks=True)
    return target
