"""Resources -> manifest files `NNN-<kind>-<name>.yaml`, the render hash, and writing them to a directory.

A file name is at most `MAX_FILE_NAME` (100) bytes, so every git client on every file system
can check it out (a resource name of 100,000 characters once made a repository unclonable).
A longer one keeps its position, up to `KIND_CHARS` of the kind and as much of the name as fits,
then `-` and the first 8 hex digits of sha256("<kind>/<name>") of the unshortened values: the
way Kubernetes tooling shortens generated names, so two long names that share a prefix still
get different, stable file names (docs/packaging.md).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from akua.packaging.yamlio import dump

_UNSAFE = re.compile(r"[^A-Za-z0-9\-_.]")
_OWNED = re.compile(r"^\d{3,}-.*\.yaml$")


@dataclass(frozen=True)
class ManifestFile:
    name: str
    content: bytes


@dataclass
class RenderResult:
    files: list[ManifestFile]
    hash: str
    resources: list[dict] = field(default_factory=list)


MAX_FILE_NAME = 100
KIND_CHARS = 30
HASH_CHARS = 8
SUFFIX = ".yaml"


def file_name(index: int, resource: dict) -> str:
    kind = str(resource.get("kind") or "resource").lower()
    metadata = resource.get("metadata")
    name = str((metadata if isinstance(metadata, dict) else {}).get("name") or "unnamed")
    stem = _UNSAFE.sub("-", f"{index:03d}-{kind}-{name}")
    if len(stem) + len(SUFFIX) <= MAX_FILE_NAME:
        return stem + SUFFIX
    digest = hashlib.sha256(f"{kind}/{name}".encode("utf-8", "surrogatepass")).hexdigest()
    prefix = _UNSAFE.sub("-", f"{index:03d}-{kind[:KIND_CHARS]}-")
    room = MAX_FILE_NAME - len(prefix) - 1 - HASH_CHARS - len(SUFFIX)
    return f"{prefix}{_UNSAFE.sub('-', name[: max(room, 0)])}-{digest[:HASH_CHARS]}{SUFFIX}"


def to_files(resources: list[dict]) -> list[ManifestFile]:
    return [ManifestFile(file_name(i, r), dump(r).encode("utf-8")) for i, r in enumerate(resources)]


def render_hash(files: list[ManifestFile]) -> str:
    """sha256 over `filename\\n` + file bytes, for each file in order."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode("utf-8") + b"\n")
        h.update(f.content)
    return "sha256:" + h.hexdigest()


def result_of(resources: list[dict]) -> RenderResult:
    files = to_files(resources)
    return RenderResult(files=files, hash=render_hash(files), resources=resources)


def write_manifests(result: RenderResult, out_dir) -> list[Path]:
    """Write the files into out_dir and delete `NNN-*.yaml` files there that this render no longer has."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    keep = {f.name for f in result.files}
    for stale in out.iterdir():
        if stale.is_file() and _OWNED.match(stale.name) and stale.name not in keep:
            stale.unlink()
    written = []
    for f in result.files:
        path = out / f.name
        if not path.is_file() or path.read_bytes() != f.content:
            tmp = path.with_name(f".{f.name}.tmp")
            tmp.write_bytes(f.content)
            os.replace(tmp, path)
        written.append(path)
    return written
