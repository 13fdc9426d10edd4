"""Render a package: inputs -> KCL program (with the engines) -> resources -> manifest files and hash.

A pure function of the package tree and the inputs: nothing reads the
clock, the network (unless fetching is allowed) or the environment.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from akua.packaging import context, kcl_runner, modules
from akua.packaging.errors import PackagingError
from akua.packaging.manifests import RenderResult, result_of
from akua.packaging.package import Package, default_inputs, load_package
from akua.packaging.resolve import Resolved, resolve
from akua.packaging.target import Target, read_target

_RESOURCES = re.compile(r"^resources\s*[:=]", re.MULTILINE)


def render(
    package_dir,
    inputs: dict | None = None,
    *,
    allow_fetch: bool = False,
    release: str | None = None,
    namespace: str | None = None,
) -> RenderResult:
    """Render the package in package_dir; inputs None means inputs.yaml / inputs.example.yaml / {}.

    The release name and namespace (`ctx.release()`, `ctx.namespace()`) come from the tree's
    installation.yaml (akua.packaging.target) unless given here.
    """
    package_dir = Path(package_dir)
    if inputs is None:
        inputs = default_inputs(package_dir)
    if not isinstance(inputs, dict):
        raise PackagingError("inputs must be a mapping")
    found = read_target(package_dir)
    target = Target(release=release or found.release, namespace=namespace or found.namespace)
    return result_of(render_resources(package_dir, inputs, allow_fetch=allow_fetch, target=target))


def render_resources(
    package_dir,
    inputs: dict,
    *,
    allow_fetch: bool | None = None,
    nested: bool = False,
    target: Target | None = None,
) -> list[dict]:
    """The package's `resources`, in order. Nested renders (pkg.render) come through here too,
    and land where their parent lands (its `target`)."""
    package_dir = Path(package_dir)
    with context.LOCK:
        frames = context.stack()
        if allow_fetch is None:
            allow_fetch = frames[-1].allow_fetch if frames else False
        if target is None:
            target = frames[-1].target if frames else Target()
        package = load_package(package_dir, require_manifest=not nested)
        frame = context.Frame(
            package_dir=package_dir, name=package.name, allow_fetch=allow_fetch, target=target
        )
        with context.entered(frame):
            frame.deps = resolve_all(package, allow_fetch=allow_fetch)
            with tempfile.TemporaryDirectory(prefix="akua-render-") as tmp:
                program = modules.build(package, frame.deps, Path(tmp))
                try:
                    values = kcl_runner.run(program, inputs, target=target)
                except PackagingError as exc:
                    raise frame.error or exc from None
            if frame.error:
                raise frame.error
    return _resources(values, package)


def resolve_all(package: Package, *, allow_fetch: bool) -> dict[str, Resolved]:
    return {
        alias: resolve(package.dir, dep, allow_fetch=allow_fetch)
        for alias, dep in package.dependencies.items()
    }


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
