"""The page tests' package and installations, for the shared cast (`base`, tests/conftest.py).

`acme` (vendor) publishes the `webapp` package; `globex` (customer, `owner`) owns an
installation of it; `initech` (customer, `outsider`) is another customer who must see
nothing of globex's. Installations here are plain rows (no repository) unless a test makes a real
one with `installations.actions.create_installation`.
"""

from __future__ import annotations

import pytest

from catalog.archive import archive_digest, pack_files
from catalog.models import Package, PackageVersion
from installations.models import Installation

# Real installations (repository, renders) and the emulator, for the version update and
# delete pages (test_update_version.py, test_delete.py).
from tests.clusters.akua_fixtures import cluster, installed, web_version  # noqa: F401
from tests.installations.conftest import (  # noqa: F401
    installation,
    publish,
    publish_needing_db_host,
    publish_needing_domain,
    publish_with_example,
    shop_version,
)

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "replicas": {
            "type": "integer",
            "default": 1,
            "minimum": 1,
            "description": "How many pods run the web app.",
        },
        "image": {
            "type": "object",
            "description": "The container image.",
            "properties": {
                "tag": {"type": "string", "default": "1.0", "x-ui": {"label": "Image tag"}},
            },
        },
        "size": {"enum": ["small", "large"], "default": "small"},
        "debugMode": {"type": "boolean", "default": False},
        "hostname": {"type": "string"},
    },
    "required": ["replicas"],
}

PACKAGE_K = """\
import akua.ctx

schema Input:
    replicas: int = 1
    image: Image = Image {}
    size: "small" | "large" = "small"
    debugMode: bool = False
    hostname?: str

schema Image:
    tag: str = "1.0"

input: Input = ctx.input()

resources = [{
    apiVersion = "v1"
    kind = "ConfigMap"
    metadata.name = "web"
    data = {replicas = str(input.replicas), tag = input.image.tag}
}]
"""

AKUA_TOML = """\
[package]
name = "webapp"
version = "1.0.0"
edition = "akua.dev/v1alpha1"
"""


@pytest.fixture
def version(base):
    package = Package.objects.create(workspace=base.acme, name="webapp")
    archive = pack_files({"akua.toml": AKUA_TOML.encode(), "package.k": PACKAGE_K.encode()})
    return PackageVersion.objects.create(
        package=package,
        version="1.0.0",
        archive=archive,
        digest=archive_digest(archive),
        input_schema=SCHEMA,
    )


def _row(name: str, customer, user, version) -> Installation:
    """An installation row of acme's webapp in `customer`'s workspace (no repository)."""
    return Installation.objects.create(
        name=name,
        workspace=version.package.workspace,
        customer_workspace=customer,
        package_version=version,
        created_by=user,
    )


@pytest.fixture
def globex_installation(base, version):
    return _row("globex-prod", base.globex, base.owner, version)


@pytest.fixture
def initech_installation(base, version):
    return _row("initech-prod", base.initech, base.outsider, version)
