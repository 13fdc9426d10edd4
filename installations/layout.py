"""The names of an installation's repository tree, one copy each.

    akua.toml, package.k, …   the vendor's package (replaced by an update)
    akua.lock, upstream/      the vendored dependencies and their lock (the vendor's too)
    inputs.yaml               the installation's own inputs (kept by an update)
    manifests/                written by Akua only: the committed render

Every module that reads or writes one of these imports its name from here.
"""

from __future__ import annotations

from akua.packaging.lock import LOCK_FILE as PACKAGE_LOCK_FILE

INPUTS_FILE = "inputs.yaml"
MANIFESTS_DIR = "manifests"
UPSTREAM_DIR = "upstream"

# Paths of a package version that are the installation's own, never the vendor's.
INSTALLATION_PATHS = (INPUTS_FILE,)

__all__ = [
    "INPUTS_FILE",
    "INSTALLATION_PATHS",
    "MANIFESTS_DIR",
    "PACKAGE_LOCK_FILE",
    "UPSTREAM_DIR",
]


def in_manifests(path: str) -> bool:
    """Whether `path` (relative to the tree's root) lies under manifests/."""
    return path.startswith(MANIFESTS_DIR + "/")
