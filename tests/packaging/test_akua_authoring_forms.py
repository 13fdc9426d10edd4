"""Packages written for Akua's own tooling render unchanged, to the files its renderer writes.

Each fixture uses one authoring form of Akua's open-source packaging: the typed
`charts.<alias>.template(TemplateOpts{...})`, the older `akua.helm` call with a chart
path, the earliest `kcl_plugin.pkg.render(path, inputs)` composition, `akua.kustomize`,
and nested `pkgs.<alias>`. The file names and the hash follow Akua's renderer: position,
lower-cased kind, sanitised name; sha256 over `name\\n` + bytes, in order.
"""

from __future__ import annotations

import hashlib

import pytest
import yaml

from akua.packaging import render
from tests.packaging.fixture_packages import PACKAGES

FORMS = {
    "early-pkg-compose": [
        "000-configmap-config-frontend.yaml",
        "001-configmap-config-backend.yaml",
    ],
    "helm-template-call": [
        "000-configmap-legacy-hello-config.yaml",
        "001-deployment-legacy-hello.yaml",
    ],
    "local-chart": [
        "000-configmap-web-config.yaml",
        "001-deployment-web.yaml",
        "002-service-web.yaml",
    ],
    "nested-twice": [
        "000-configmap-frontend.yaml",
        "001-configmap-backend.yaml",
        "002-configmap-by-path.yaml",
    ],
    "kustomize-overlay": ["000-service-prod-api.yaml", "001-deployment-prod-api.yaml"],
}


@pytest.mark.parametrize("package", sorted(FORMS))
def test_each_authoring_form_renders_to_akuas_file_names(package):
    result = render(PACKAGES / package)
    assert [f.name for f in result.files] == FORMS[package]


@pytest.mark.parametrize("package", sorted(FORMS))
def test_each_file_holds_exactly_its_resource(package):
    result = render(PACKAGES / package)
    for file, resource in zip(result.files, result.resources, strict=True):
        assert yaml.safe_load(file.content) == resource


@pytest.mark.parametrize("package", sorted(FORMS))
def test_the_hash_is_akuas_formula(package):
    result = render(PACKAGES / package)
    digest = hashlib.sha256()
    for file in result.files:
        digest.update(file.name.encode() + b"\n" + file.content)
    assert result.hash == "sha256:" + digest.hexdigest()
