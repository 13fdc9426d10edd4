"""Render a package: inputs -> manifests and hash, through the sandbox.

A pure function of the package tree and the inputs: the render runs in a sealed child
process (akua.packaging.sandbox) that cannot read the clock, the network, the
environment or any file outside the tree. Fetching missing dependencies is the only
network use, in this process, and only when the caller allows it.
"""

from __future__ import annotations

from pathlib import Path

from akua.packaging import sandbox
from akua.packaging.errors import PackagingError
from akua.packaging.manifests import RenderResult, result_of
from akua.packaging.package import default_inputs
from akua.packaging.sandbox import Limits
from akua.packaging.target import Target, read_target


def render(
    package_dir,
    inputs: dict | None = None,
    *,
    allow_fetch: bool = False,
    release: str | None = None,
    namespace: str | None = None,
    limits: Limits | None = None,
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
    payload = {"inputs": inputs, "release": target.release, "namespace": target.namespace}
    resources = sandbox.run("render", package_dir, payload, allow_fetch=allow_fetch, limits=limits)
    return result_of(resources)


def render_chart(
    chart,
    values: dict | None = None,
    *,
    release: str = "release",
    namespace: str = "default",
    limits: Limits | None = None,
) -> list[dict]:
    """A Helm chart's objects exactly as the helm engine gives them to package.k
    (for comparing a generated package with its chart)."""
    payload = {"values": values or {}, "release": release, "namespace": namespace}
    return sandbox.run("chart", Path(chart), payload, limits=limits)
