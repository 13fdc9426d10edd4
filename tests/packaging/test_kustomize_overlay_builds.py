"""`kustomize.build` runs `kubectl kustomize` on a directory of the package."""

from __future__ import annotations

import shutil

import pytest

from akua.packaging import PackagingError, render
from tests.packaging.fixture_packages import PACKAGES

needs_kubectl = pytest.mark.skipif(
    shutil.which("kubectl") is None, reason="kubectl is not installed"
)


@needs_kubectl
def test_it_renders_the_overlay_over_its_base():
    result = render(PACKAGES / "kustomize-overlay")
    assert [f.name for f in result.files] == [
        "000-service-prod-api.yaml",
        "001-deployment-prod-api.yaml",
    ]
    deployment = result.resources[1]
    assert deployment["metadata"]["namespace"] == "prod"
    assert deployment["spec"]["replicas"] == 3


def test_without_kubectl_it_says_kubectl_is_needed(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PackagingError) as err:
        render(PACKAGES / "kustomize-overlay")
    assert "kustomize.build needs kubectl on PATH" in str(err.value)
    assert err.value.file.endswith("overlay")
