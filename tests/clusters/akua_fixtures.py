"""Fixtures for Akua's cluster tests: a package that exercises apply/prune/health, the
emulator imported as a cluster, and an installation on it (tasks run inline)."""

from __future__ import annotations

import shutil
from pathlib import Path

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


def imported(base, emulator, name: str):
    """`emulator` imported as globex's cluster `name` by its owner."""
    return cluster_actions.import_cluster(
        workspace=base.globex, name=name, kubeconfig_text=emulator.kubeconfig(), user=base.owner
    )


@pytest.fixture
def cluster(base, k8s_emulator):
    return imported(base, k8s_emulator, "test")


@pytest.fixture
def installed(web_version, cluster, install):
    """An installation on the emulator, rendered and applied (tasks inline)."""

    def installed(name="web", **inputs):
        return install(web_version, name, inputs=inputs, cluster=cluster, namespace=f"ns-{name}")

    return installed


CHARTS = Path(__file__).resolve().parents[1] / "fixtures" / "charts"

CHART_PACKAGE_K = """\
import akua.ctx
import charts.chart

schema Input:
{fields}

input: Input = ctx.input()

# as `helm install <release> -n <namespace>`, with the installation's (installation.yaml)
resources = chart.template(chart.TemplateOpts {{
    values = input
    release = ctx.release()
    namespace = ctx.namespace()
}})
"""

# The inputs of each test chart in tests/fixtures/charts (a few of its values).
CHART_INPUTS = {
    "hooks": ['image: str = "example/app:1.0"', 'migrateImage: str = "example/migrate:1.0"'],
    "webhook": ["replicas: int = 1"],
    "autoscaled": ['cpu: str = "1000m"', "maxReplicas: int = 3"],
    "ingress": ['host: str = "shop.example.com"'],
    "hookkinds": ['image: str = "example/setup:1.0"'],
}


@pytest.fixture
def chart_version(base, tmp_path):
    """Publish a package of a chart in tests/fixtures/charts, as a generated one would be."""

    def publish(chart: str, version: str = "1.0.0", package_k: str | None = None):
        directory = tmp_path / f"{chart}-{version}"
        shutil.copytree(CHARTS / chart, directory / "upstream" / "chart")
        (directory / "akua.toml").write_text(
            f'[package]\nname = "{chart}"\nversion = "{version}"\n'
            'edition = "akua.dev/v1alpha1"\n\n[dependencies.chart]\npath = "upstream/chart"\n'
        )
        fields = "\n".join(f"    {line}" for line in CHART_INPUTS[chart])
        (directory / "package.k").write_text(package_k or CHART_PACKAGE_K.format(fields=fields))
        return publish_package_version(base.acme, directory, user=base.vendor)

    return publish


@pytest.fixture
def second_emulator():
    """Another Kubernetes API emulator: a second cluster to move installations to."""
    from emulators.kubernetes import Emulator

    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def second_cluster(base, second_emulator):
    return imported(base, second_emulator, "second")
