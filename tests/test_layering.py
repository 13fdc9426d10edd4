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


# -- the render sandbox (akua.packaging.sandbox) -------------------------------------------
# kcl-lib and the Helm engine are loaded only in the render child. These modules run
# there and nowhere else; a module outside them that imported one would load the engines
# into the server (or crash it with a package's recursion).
CHILD_SIDE = (
    "akua/packaging/kcl_runner.py",
    "akua/packaging/modules.py",
    "akua/packaging/kcl_schema.py",
    "akua/packaging/evaluate.py",
    "akua/packaging/engines/",
    "akua/packaging/sandbox/child.py",
    "akua/packaging/sandbox/__main__.py",
)
ENGINES = ("kcl_lib", "helm_python")
# Fetching is the parent's job (with network): the OCI fetcher pulls charts with
# helm-python-sdk's registry client. It renders nothing.
ENGINE_USERS_OUTSIDE = {"akua/packaging/fetch/oci.py": ("helm_python",)}
CHECKED = ("akua", *APPS, "bench")


def _child_side(rel: str) -> bool:
    return any(rel == c or (c.endswith("/") and rel.startswith(c)) for c in CHILD_SIDE)


def _module_names(root: Path) -> set[str]:
    names = set()
    for entry in CHILD_SIDE:
        paths = sorted(root.glob(entry + "**/*.py")) if entry.endswith("/") else [root / entry]
        for path in paths:
            rel = path.relative_to(root).with_suffix("").as_posix()
            names.add(rel.removesuffix("/__init__").replace("/", "."))
    return names


def _names(path: Path) -> list[tuple[int, str]]:
    """Like _imports, plus `package.name` for each name of a `from package import name`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _sandbox_violations(root: Path = ROOT) -> list[str]:
    child_modules = _module_names(root)
    out = []
    for top in CHECKED:
        for path in sorted((root / top).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if _child_side(rel):
                continue
            allowed = ENGINE_USERS_OUTSIDE.get(rel, ())
            for line, name in _names(path):
                first = name.split(".")[0]
                if first in ENGINES and first not in allowed:
                    out.append(f"{rel}:{line} imports {name} outside the render child")
                if any(name == m or name.startswith(m + ".") for m in child_modules):
                    out.append(f"{rel}:{line} imports {name}, which runs only in the render child")
    return sorted(set(out))


def test_only_the_render_child_loads_kcl_lib_and_the_helm_engine():
    assert all((ROOT / c).exists() for c in CHILD_SIDE)
    assert _sandbox_violations() == []


def test_the_sandbox_check_sees_every_way_in(tmp_path):
    for entry in CHILD_SIDE:
        path = tmp_path / entry
        if entry.endswith("/"):
            path = path / "__init__.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("import kcl_lib\n")
    (tmp_path / "wizard").mkdir()
    (tmp_path / "wizard" / "views.py").write_text(
        "def f():\n"
        "    from akua.packaging import kcl_runner\n"
        "    from akua.packaging.engines.helm import render_chart\n"
        "    import helm_python\n"
    )
    assert _sandbox_violations(tmp_path) == [
        "wizard/views.py:2 imports akua.packaging.kcl_runner, which runs only in the render child",
        "wizard/views.py:3 imports akua.packaging.engines.helm, which runs only in the render child",
        "wizard/views.py:3 imports akua.packaging.engines.helm.render_chart, which runs only in the render child",
        "wizard/views.py:4 imports helm_python outside the render child",
    ]
