"""Nested package renders report cycles with their chain and stop at a bounded depth."""

from __future__ import annotations

import pytest

from akua.packaging import PackagingError, render
from akua.packaging.context import MAX_DEPTH
from tests.packaging.fixture_packages import write_package


def _nesting(root, name: str, dep: str) -> None:
    write_package(
        root / name,
        f'import akua.pkg\nresources = pkg.render(pkg.Render {{package = "{dep}"}})\n',
        name=name,
        toml_extra=f'\n[dependencies.{dep}]\npath = "../{dep}"\n',
    )


def test_a_cycle_is_reported_with_its_chain(tmp_path):
    _nesting(tmp_path, "a", "b")
    _nesting(tmp_path, "b", "a")
    with pytest.raises(PackagingError) as err:
        render(tmp_path / "a")
    assert "package cycle: a -> b -> a" in str(err.value)


def test_a_package_rendering_itself_is_a_cycle(tmp_path):
    write_package(
        tmp_path / "self",
        'import akua.pkg\nresources = pkg.render(pkg.Render {path = "."})\n',
        name="self",
    )
    with pytest.raises(PackagingError) as err:
        render(tmp_path / "self")
    assert "package cycle: self -> self" in str(err.value)


def test_nesting_deeper_than_the_limit_is_refused(tmp_path):
    names = [f"p{i}" for i in range(MAX_DEPTH + 2)]
    for name, dep in zip(names, names[1:], strict=False):
        _nesting(tmp_path, name, dep)
    write_package(tmp_path / names[-1], "resources = []\n", name=names[-1])
    with pytest.raises(PackagingError) as err:
        render(tmp_path / names[0])
    assert f"nested more than {MAX_DEPTH} deep" in str(err.value)


def test_nesting_within_the_limit_renders(tmp_path):
    names = ["p0", "p1", "p2", "p3"]
    for name, dep in zip(names, names[1:], strict=False):
        _nesting(tmp_path, name, dep)
    write_package(
        tmp_path / "p3",
        'resources = [{apiVersion = "v1", kind = "ConfigMap", metadata.name = "deep"}]\n',
        name="p3",
    )
    assert render(tmp_path / "p0").resources == [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "deep"}}
    ]
