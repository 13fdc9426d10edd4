"""The proxy fixture chart (tests/fixtures/charts/proxy) generated into a package and
published by the shared cast's vendor, for the wizard's big-chart tests and bench."""

from __future__ import annotations

from pathlib import Path

from catalog.actions import publish_package_version
from tests.packaging.generated_packages import generate_package

CHARTS = Path(__file__).resolve().parent.parent / "fixtures" / "charts"
ESSENTIALS = ["image", "ports", "service"]


def publish_proxy(workspace, user, tmp_path: Path):
    """The generated package of the proxy chart (essentials: image, ports, service)."""
    directory, _report = generate_package(
        CHARTS / "proxy", tmp_path / "proxy-pkg", essentials=ESSENTIALS
    )
    return publish_package_version(workspace, directory, user=user)
