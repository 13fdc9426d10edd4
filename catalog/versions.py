"""Ordering a package's published versions: newest first by semantic version, pre-releases apart.

`published_at` is not the order people mean: a vendor may publish a 1.4.2 fix after 2.0.0.
Versions that are not semantic versions sort last (`akua.packaging.fetch.base.version_key`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from akua.packaging.fetch.base import version_key
from catalog.models import Package, PackageVersion

_PRERELEASE = re.compile(r"^v?\d+\.\d+\.\d+-")


def is_prerelease(version: str) -> bool:
    """`2.0.0-rc.1` is; `2.0.0` and `2.0.0+build.5` are not."""
    return bool(_PRERELEASE.match(version))


def is_newer(version: str, than: str) -> bool:
    return version_key(version) > version_key(than)


def newest_first(versions: Iterable[PackageVersion]) -> list[PackageVersion]:
    return sorted(versions, key=lambda v: version_key(v.version), reverse=True)


def versions_newest_first(package: Package | int | str) -> list[PackageVersion]:
    package_id = package.pk if isinstance(package, Package) else package
    return newest_first(PackageVersion.objects.filter(package_id=package_id).defer("archive"))


def newest_release(package: Package | int | str) -> PackageVersion | None:
    """The newest version that is not a pre-release (what "update to the newest" means)."""
    for version in versions_newest_first(package):
        if not is_prerelease(version.version):
            return version
    return None
