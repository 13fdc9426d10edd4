"""The dependency arrows of DESIGN §1 hold: wizard -> installations -> clusters, everything
-> akua.packaging; production code never imports `tests` nor the emulators (the demo starts
the Kubernetes one as a child process). Every module is parsed with `ast` (nothing is
imported), so a function-local import counts as much as a top-level one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("catalog", "clusters", "installations", "marketplace", "wizard")

# package -> top-level names it must not import (prefixes: "akua" forbids akua.* except
# what `ALLOWED` lists for that package)
NOT_PRODUCTION = ("tests", "emulators")
FORBIDDEN = {
    "akua": NOT_PRODUCTION,
    "akua/packaging": ("django", "akua", *APPS, *NOT_PRODUCTION),
    "catalog": NOT_PRODUCTION,
    "clusters": ("installations", "wizard", "catalog", "marketplace", *NOT_PRODUCTION),
    "installations": ("wizard", "marketplace", *NOT_PRODUCTION),
    "marketplace": NOT_PRODUCTION,
    "wizard": NOT_PRODUCTION,
}
ALLOWED = {"akua/packaging": ("akua.packaging",)}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _violations(package: str) -> list[str]:
    return _imports_of(package, FORBIDDEN[package], ALLOWED.get(package, ()))


def _imports_of(package: str, forbidden: tuple, allowed: tuple = ()) -> list[str]:
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, name in _imports(path):
            if any(name == a or name.startswith(a + ".") for a in allowed):
                continue
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                out.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_the_arrows_point_one_way(package):
    assert (ROOT / package).is_dir()
    assert _violations(package) == []


def test_the_emulators_stand_alone():
    """The emulators serve tests, benches and the demo; they import no Akua code."""
    assert _imports_of("emulators", ("tests", "akua", *APPS)) == []


def test_the_check_sees_function_local_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from installations.models import Installation\n")
    assert _imports(module) == [(2, "installations.models")]
