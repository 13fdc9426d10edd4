"""The names of the repository tree have one home (installations.layout): no other module
of the apps gives one of them a constant of its own, and the write lock is not akua.lock."""

from __future__ import annotations

import ast
from pathlib import Path

from installations import layout, repository

ROOT = Path(__file__).resolve().parents[2]
APPS = ("catalog", "clusters", "installations", "marketplace", "wizard")
NAMES = {"inputs.yaml", "manifests", "manifests/", "upstream", "upstream/", "akua.lock"}


def _constants(path: Path):
    """(line, name, value) of each module-level `NAME = "string"`."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield node.lineno, target.id, node.value.value


def test_no_module_but_layout_names_a_path_of_the_tree():
    found = [
        f"{path.relative_to(ROOT)}:{line} {name} = {value!r}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if path != ROOT / "installations" / "layout.py" and "migrations" not in path.parts
        for line, name, value in _constants(path)
        if value in NAMES
    ]
    assert found == []


def test_the_check_sees_a_second_copy(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('MANIFESTS = "manifests/"\n')
    assert list(_constants(module)) == [(1, "MANIFESTS", "manifests/")]


def test_the_package_lock_and_the_write_lock_have_different_names():
    assert layout.PACKAGE_LOCK_FILE == "akua.lock"
    assert repository.WRITE_LOCK_FILE == "akua-push.lock"
    assert not hasattr(repository, "LOCK_FILE")
