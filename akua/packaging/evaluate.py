"""Inside the render child: run a staged package with kcl-lib and the engines.

Nothing here fetches or looks outside the staged tree: the parent resolved every
dependency (and fetched what was missing) and says where each one is
(`set_resolution`); a nested package rendered by path, which the parent could not
know about, resolves what it finds in the staged tree, offline. Every `.k` file is
read for host functions (akua.packaging.hostcalls) before anything runs.

Only akua.packaging.sandbox.child imports this module (tests/test_layering.py).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from akua.packaging import context, hostcalls, kcl_runner, modules
from akua.packaging.errors import PackagingError
from akua.packaging.kcl_schema import has_input_schema, input_schema
from akua.packaging.package import PROGRAM_FILE, Package, load_package
from akua.packaging.resolve import PACKAGE, Resolved, resolve
from akua.packaging.target import Target
from akua.packaging.ui import scan

_RESOURCES = re.compile(r"^resources\s*[:=]", re.MULTILINE)
_resolution: dict[Path, dict[str, Resolved]] = {}
_checked: set[Path] = set()


def set_resolution(resolution: dict[Path, dict[str, Resolved]]) -> None:
    """The parent's answer, per staged package directory: alias -> where the dependency is."""
    _resolution.clear()
    _resolution.update({Path(k).resolve(): v for k, v in resolution.items()})
    _checked.clear()


def render_resources(
    package_dir, inputs: dict, *, nested: bool = False, target: Target | None = None
) -> list[dict]:
    """The package's `resources`, in order. Nested renders (pkg.render) come through here too,
    and land where their parent lands (its `target`)."""
    package_dir = Path(package_dir)
    with context.LOCK:
        if target is None:
            frames = context.stack()
            target = frames[-1].target if frames else Target()
        package = load_package(package_dir, require_manifest=not nested)
        frame = context.Frame(package_dir=package_dir, name=package.name, target=target)
        with context.entered(frame):
            frame.deps = resolve_all(package)
            check_host_calls(package, frame.deps)
            with tempfile.TemporaryDirectory(prefix="akua-render-") as tmp:
                program = modules.build(package, frame.deps, Path(tmp))
                try:
                    values = kcl_runner.run(program, inputs, target=target)
                except PackagingError as exc:
                    raise frame.error or exc from None
            if frame.error:
                raise frame.error
    return _resources(values, package)


def export(package_dir) -> dict | None:
    """The JSON Schema of `schema Input`; None when package.k declares no inputs."""
    package = load_package(package_dir)
    with context.LOCK:
        frame = context.Frame(package_dir=package.dir, name=package.name)
        with context.entered(frame):
            frame.deps = resolve_all(package)
            check_host_calls(package, frame.deps)
            with tempfile.TemporaryDirectory(prefix="akua-export-") as tmp:
                program = modules.build(package, frame.deps, Path(tmp))
                if not has_input_schema(package):
                    kcl_runner.check(program)
                    return None
                return input_schema(package, frame.deps, program)


def render_chart(chart_dir, values: dict, *, release: str, namespace: str) -> list[dict]:
    """A Helm chart on its own, as the helm engine renders it for `charts.<alias>.template`."""
    from akua.packaging.engines.helm import render_chart as helm_render

    return helm_render(Path(chart_dir).resolve(), values, release=release, namespace=namespace)


def resolve_all(package: Package) -> dict[str, Resolved]:
    known = _resolution.get(package.dir.resolve())
    if known is not None:
        return dict(known)
    return {
        alias: resolve(package.dir, dep, allow_fetch=False)
        for alias, dep in package.dependencies.items()
    }


def check_host_calls(package: Package, deps: dict[str, Resolved]) -> None:
    """Every .k file under the package and its nested packages, once per job."""
    trees = [package.dir] + [d.dir for d in deps.values() if d.kind == PACKAGE]
    for tree in trees:
        tree = Path(tree).resolve()
        if tree in _checked or not tree.is_dir():
            continue
        _checked.add(tree)
        for path in sorted(tree.rglob("*.k")):
            if not path.is_file() or path.is_symlink():
                continue
            try:
                code = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if path.name == PROGRAM_FILE:
                try:
                    code = scan(code, file=str(path)).code  # `@ui` lines blanked, as KCL sees it
                except PackagingError:
                    pass
            hostcalls.check_file(path, code, display=str(path), parse=kcl_runner.parse)


def _resources(values: dict, package: Package) -> list[dict]:
    file = str(package.program_file)
    match = _RESOURCES.search(package.source.code)
    line = package.source.code.count("\n", 0, match.start()) + 1 if match else None
    if "resources" not in values:
        raise PackagingError(
            "package.k must set a top-level `resources` list (the Kubernetes objects to deploy)",
            file=file,
        )
    resources = values["resources"]
    if resources is None:
        return []
    if not isinstance(resources, list):
        raise PackagingError(
            f"`resources` must be a list of Kubernetes objects, not {_type_name(resources)}",
            file=file,
            line=line,
        )
    out = []
    for i, item in enumerate(resources):
        if item is None:
            continue
        if not isinstance(item, dict):
            raise PackagingError(
                f"resources[{i}] must be a mapping (a Kubernetes object), not {_type_name(item)}",
                file=file,
                line=line,
            )
        out.append(item)
    return out


def _type_name(value) -> str:
    return {
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "a boolean",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)
