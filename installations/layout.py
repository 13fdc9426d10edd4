"""The names of an installation's repository tree, one copy each.

    akua.toml, package.k, …   the vendor's package (replaced by an update)
    akua.lock, upstream/      the vendored dependencies and their lock (the vendor's too)
    inputs.yaml               the installation's own inputs (kept by an update)
    installation.yaml         its release name and namespace (kept by an update; landing.py)
    manifests/                written by Akua only: the committed render

Every module that reads or writes one of these imports its name from here; the package's
own names (akua.toml, akua.lock) come from `akua.packaging`, which defines them. (The
repository's write lock, `<repo>/akua-push.lock`, is not in the tree: it is
`installations.repository.WRITE_LOCK_FILE`.)
"""

from __future__ import annotations

from akua.packaging.lock import LOCK_FILE as PACKAGE_LOCK_FILE
from akua.packaging.manifest import MANIFEST_FILE as PACKAGE_FILE
from akua.packaging.target import TARGET_FILE

INPUTS_FILE = "inputs.yaml"
MANIFESTS_DIR = "manifests"
UPSTREAM_DIR = "upstream"

# Paths of a package version that are the installation's own, never the vendor's.
INSTALLATION_PATHS = (INPUTS_FILE, TARGET_FILE)

__all__ = [
    "INPUTS_FILE",
    "INSTALLATION_PATHS",
    "MANIFESTS_DIR",
    "PACKAGE_FILE",
    "PACKAGE_LOCK_FILE",
    "TARGET_FILE",
    "UPSTREAM_DIR",
    "in_manifests",
]


def in_manifests(path: str) -> bool:
    """Whether `path` (relative to the tree's root) lies under manifests/."""
    return path.startswith(MANIFESTS_DIR + "/")
