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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph(packages) -> dict[str, set[str]]:
    """module -> the project modules it imports (function-local imports included)."""
    files = {
        _module_name(p): p
        for package in packages
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.parts
    }
    graph = {}
    for name, path in files.items():
        deps = set()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name in files}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:  # `from pkg import module` names the module
                    sub = f"{node.module}.{alias.name}"
                    deps.add(sub if sub in files else node.module)
        graph[name] = (deps & files.keys()) - {name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_itself_through_others():
    """No circle of imports among the apps' modules, counting function-local imports: a
    state change both sides need lives in a module both import (installations.state),
    never behind an import deferred into a function."""
    assert _circles(_import_graph(APPS)) == []


def test_the_circle_check_sees_a_deferred_import(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c"]]
