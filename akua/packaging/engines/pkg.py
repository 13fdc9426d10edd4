"""Nested package engine: `pkg.render(pkg.Render{package=<alias> | path=..., inputs})`.

Renders the other package in this process, through the same code path as a
top-level render, and hands its `resources` back to the calling program.
Nesting is bounded (context.MAX_DEPTH) and cycles are reported with the chain.
"""

from __future__ import annotations

from akua.packaging import context
from akua.packaging.engines import options
from akua.packaging.errors import PackagingError


def render(*args, **kwargs) -> list[dict]:
    """The `kcl_plugin.pkg.render` plugin: options {package | path, inputs}."""
    from akua.packaging.evaluate import render_resources

    if args and isinstance(args[0], str):  # the early form: pkg.render("./shared", {inputs})
        opts = {"path": args[0], "inputs": args[1] if len(args) > 1 else kwargs.get("inputs")}
    else:
        opts = options(args, kwargs)
    frame = context.current()
    alias, path = opts.get("package"), opts.get("path")
    if bool(alias) == bool(path):
        raise PackagingError("pkg.render needs exactly one of package (a dependency alias) or path")
    if alias:
        dep = frame.deps.get(alias)
        if dep is None:
            known = ", ".join(sorted(frame.deps)) or "none"
            raise PackagingError(
                f"pkg.render: no dependency {alias!r} in akua.toml (dependencies: {known})",
                file=str(frame.package_dir / "akua.toml"),
            )
        if dep.kind != "package":
            raise PackagingError(
                f"pkg.render: dependency {alias!r} is a Helm chart, not an Akua package; use charts.{alias}",
                file=str(frame.package_dir / "akua.toml"),
            )
        target = dep.dir
    else:
        target = (frame.package_dir / path).resolve()
        if target.is_file():
            target = target.parent
    inputs = opts.get("inputs") or {}
    if not isinstance(inputs, dict):
        raise PackagingError("pkg.render: inputs must be a mapping")
    return render_resources(target, inputs, nested=True)
