"""A small pure-KCL package (`shop`) published into the base vendor workspace.

Inputs: `replicas` (the KCL check refuses more than 5, which JSON Schema does not know,
so 6 validates and then fails to render), `message`, and `note`, which no resource uses
(changing it renders the same manifests: the skip rule).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from catalog.actions import publish_package_version

AKUA_TOML = """\
[package]
name = "shop"
version = "{version}"
edition = "akua.dev/v1alpha1"
"""

PACKAGE_K = """\
import akua.ctx

schema Input:
    replicas: int = 1
    \"\"\"How many pods.\"\"\"

    message: str = "hello"
    \"\"\"What the page says.\"\"\"

    note: str = ""
    \"\"\"A note for people; not used by any resource.\"\"\"

    check:
        replicas <= 5, "replicas must be at most 5"

input: Input = ctx.input()

resources = [
    {
        apiVersion = "v1"
        kind = "ConfigMap"
        metadata.name = "shop"
        data = {message = input.message, edition = "{version}"}
    }
    {
        apiVersion = "apps/v1"
        kind = "Deployment"
        metadata.name = "shop"
        spec = {
            replicas = input.replicas
            selector.matchLabels.app = "shop"
            template.metadata.labels.app = "shop"
            template.spec.containers = [{name = "shop", image = "shop:1"}]
        }
    }
]
"""


def write_package(directory, version="1.0.0", package_k=PACKAGE_K):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "akua.toml").write_text(AKUA_TOML.format(version=version))
    (directory / "package.k").write_text(package_k.replace("{version}", version))
    return directory


@pytest.fixture
def publish(base, tmp_path):
    def publish(version="1.0.0", package_k=PACKAGE_K):
        directory = write_package(tmp_path / f"shop-{version}", version, package_k)
        return publish_package_version(base.acme, directory, user=base.vendor)

    return publish


@pytest.fixture
def shop_version(publish):
    return publish("1.0.0")


@pytest.fixture
def installation(shop_version, install):
    return install(shop_version, "shop-prod", inputs={"replicas": 2, "message": "hi"})


# -- versions with a new required input and no default (their example inputs give one) ------

# `domain`
NEEDS_DOMAIN = """\
import akua.ctx

schema Input:
    replicas: int = 1
    message: str = "hello"
    note: str = ""
    domain: str
    \"\"\"The public domain.\"\"\"

input: Input = ctx.input()

resources = [{
    apiVersion = "v1"
    kind = "ConfigMap"
    metadata.name = "shop"
    data = {message = input.message, domain = input.domain, edition = "{version}"}
}]
"""

# `db.host`: nested in an object
NEEDS_DB_HOST = """\
import akua.ctx

schema Db:
    host: str
    \"\"\"Where the database listens.\"\"\"

    port: int = 5432

schema Input:
    replicas: int = 1
    message: str = "hello"
    note: str = ""
    db: Db

input: Input = ctx.input()

resources = [{
    apiVersion = "v1"
    kind = "ConfigMap"
    metadata.name = "shop"
    data = {message = input.message, db = "${input.db.host}:${input.db.port}"}
}]
"""


@pytest.fixture
def publish_with_example(base, tmp_path):
    """Publish shop `version` from `package_k` with `example` as its inputs.example.yaml: what
    a version with a required input and no default needs to be published."""

    def publish(version, package_k, example):
        directory = write_package(tmp_path / f"shop-{version}-example", version, package_k)
        (directory / "inputs.example.yaml").write_text(example)
        return publish_package_version(base.acme, directory, user=base.vendor)

    return publish


@pytest.fixture
def publish_needing_domain(publish_with_example):
    return lambda version: publish_with_example(version, NEEDS_DOMAIN, "domain: example.com\n")


@pytest.fixture
def publish_needing_db_host(publish_with_example):
    return lambda version: publish_with_example(version, NEEDS_DB_HOST, "db:\n  host: db.example\n")


# -- a package with a sensitive input used in a Secret (tests/fixtures/packages/secret-input) --

SECRET_PACKAGE = Path(__file__).parent.parent / "fixtures" / "packages" / "secret-input"


@pytest.fixture
def secret_version(base):
    return publish_package_version(base.acme, SECRET_PACKAGE, user=base.vendor)


@pytest.fixture
def secret_inst(secret_version, install, sensitive):
    """Created with the password (`sensitive.password`, tests/conftest.py) as a plain value:
    the action stores it and commits its marker."""
    return install(secret_version, "db-prod", inputs={"password": sensitive.password})


def git_history(repo_path) -> str:
    """`git log -p --all` of a repository: every version of every file ever committed."""
    proc = subprocess.run(
        ["git", "--git-dir", str(repo_path), "log", "-p", "--all", "--format=%H %s%n%b"],
        capture_output=True,
        check=True,
    )
    return proc.stdout.decode("utf-8", "replace")
