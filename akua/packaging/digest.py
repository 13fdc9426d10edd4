"""Content digests: `sha256:<hex>` of one file, or of a directory tree.

`tree_digest` is what pins a git dependency and what compares two copies of a tree. It hashes,
for every entry under the directory in sorted relative-path order (POSIX separators, `.git`
skipped at any depth): the kind (file, executable file or symlink), the relative path, and the
file's bytes or the link's target. Timestamps, owners and empty directories do not count, so the
same checkout gives the same digest on every machine.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from akua.packaging.errors import PackagingError

_CHUNK = 1 << 20


def file_digest(path: Path) -> str:
    """`sha256:<hex>` of the file's bytes."""
    sha = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            sha.update(chunk)
    return "sha256:" + sha.hexdigest()


def bytes_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def tree_digest(path: Path) -> str:
    """`sha256:<hex>` over the tree's relative paths, bytes, exec bits and link targets."""
    root = Path(path)
    if not root.is_dir():
        raise PackagingError(f"cannot digest {root}: not a directory")
    sha = hashlib.sha256()
    for rel, full in _entries(root):
        if full.is_symlink():
            target = os.readlink(full).encode()
            sha.update(b"link\0" + rel.encode() + b"\0" + target + b"\0")
            continue
        st = full.stat()
        kind = b"exec" if st.st_mode & 0o100 else b"file"  # the owner's x bit, as git records it
        sha.update(kind + b"\0" + rel.encode() + b"\0" + str(st.st_size).encode() + b"\0")
        with open(full, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                sha.update(chunk)
    return "sha256:" + sha.hexdigest()


def _entries(root: Path) -> list[tuple[str, Path]]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        if ".git" in dirnames:
            dirnames.remove(".git")
        base = Path(dirpath)
        # os.walk does not descend into symlinked directories; record them as links.
        names = filenames + [d for d in dirnames if (base / d).is_symlink()]
        for name in names:
            if name == ".git":
                continue
            full = base / name
            found.append((full.relative_to(root).as_posix(), full))
    return sorted(found)
