"""Fixtures for Akua's cluster tests: a package that exercises apply/prune/health, the
emulator imported as a cluster, and an installation on it (tasks run inline)."""

from __future__ import annotations

import pytest

from catalog.actions import publish_package_version
from clusters import actions as cluster_actions

AKUA_TOML = """\
[package]
name = "web"
version = "1.0.0"
edition = "akua.dev/v1alpha1"
"""

PACKAGE_K = '''\
import akua.ctx

schema Input:
    replicas: int = 2
    tag: str = "1.0"
    extra: bool = False
    """A ConfigMap that comes and goes (prune)."""
    keep: bool = False
    """A ConfigMap annotated akua.dev/prune: disabled."""

input: Input = ctx.input()

_cm = lambda name: str, annotations: {str:str} {
    {apiVersion = "v1", kind = "ConfigMap", metadata = {name = name, annotations = annotations}, data.owner = "web"}
}

resources = [
    {
        apiVersion = "apps/v1"
        kind = "Deployment"
        metadata.name = "web"
        spec = {
            replicas = input.replicas
            selector.matchLabels.app = "web"
            template.metadata.labels.app = "web"
            template.spec.containers = [{name = "web", image = "example/web:${input.tag}"}]
        }
    }
    {
        apiVersion = "v1"
        kind = "Service"
        metadata.name = "web"
        spec = {selector.app = "web", ports = [{name = "http", port = 80}]}
    }
] + ([_cm("extra", {})] if input.extra else []) + ([_cm("kept", {"akua.dev/prune" = "disabled"})] if input.keep else [])
'''


@pytest.fixture
def web_version(base, tmp_path):
    directory = tmp_path / "web-package"
    directory.mkdir()
    (directory / "akua.toml").write_text(AKUA_TOML)
    (directory / "package.k").write_text(PACKAGE_K)
    return publish_package_version(base.acme, directory, user=base.vendor)


@pytest.fixture
def cluster(base, k8s_emulator):
    return cluster_actions.import_cluster(
        workspace=base.globex,
        name="test",
        kubeconfig_text=k8s_emulator.kubeconfig(),
        user=base.owner,
    )


@pytest.fixture
def installed(web_version, cluster, install):
    """An installation on the emulator, rendered and applied (tasks inline)."""

    def installed(name="web", **inputs):
        return install(web_version, name, inputs=inputs, cluster=cluster, namespace=f"ns-{name}")

    return installed
