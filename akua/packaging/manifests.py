"""Resources -> manifest files `NNN-<kind>-<name>.yaml`, the render hash, and writing them to a directory."""

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


def file_name(index: int, resource: dict) -> str:
    kind = str(resource.get("kind") or "resource").lower()
    name = (resource.get("metadata") or {}).get("name") or "unnamed"
    return _UNSAFE.sub("-", f"{index:03d}-{kind}-{name}") + ".yaml"


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
