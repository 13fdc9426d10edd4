"""The same tree renders to the same bytes and hash, every time and from anywhere."""

from __future__ import annotations

import shutil

import pytest

from akua.packaging import render
from tests.packaging.fixture_packages import CHARTS, PACKAGES


@pytest.mark.parametrize(
    "name", ["pure-kcl", "local-chart", "nested-twice", "patched-chart", "big-chart"]
)
def test_rendering_twice_gives_identical_bytes_and_hash(name):
    first, second = render(PACKAGES / name), render(PACKAGES / name)
    assert [(f.name, f.content) for f in first.files] == [(f.name, f.content) for f in second.files]
    assert first.hash == second.hash


def test_a_copy_elsewhere_renders_the_same(tmp_path):
    shutil.copytree(CHARTS, tmp_path / "charts")
    shutil.copytree(PACKAGES / "local-chart", tmp_path / "packages" / "local-chart")
    assert (
        render(tmp_path / "packages" / "local-chart").hash == render(PACKAGES / "local-chart").hash
    )


def test_different_inputs_give_a_different_hash():
    assert render(PACKAGES / "pure-kcl", {"replicas": 5}).hash != render(PACKAGES / "pure-kcl").hash


def test_renders_from_several_threads_at_once_agree():
    from concurrent.futures import ThreadPoolExecutor

    names = ["pure-kcl", "local-chart", "nested-twice"] * 4
    expected = {name: render(PACKAGES / name).hash for name in set(names)}
    with ThreadPoolExecutor(max_workers=6) as pool:
        hashes = list(pool.map(lambda name: render(PACKAGES / name).hash, names))
    assert hashes == [expected[name] for name in names]
