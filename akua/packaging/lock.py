"""`akua.lock`: what each dependency resolved to, and the digest it is pinned by.

    # This file is machine-maintained by Akua ...
    version = 1

    [[package]]
    name = "nginx"                 # the dependency's alias in akua.toml
    version = "15.4.2"             # chart version; for git, the resolved commit sha
    source = "https://charts.example.com/nginx"
    digest = "sha256:..."          # see akua.packaging.vendor for what is hashed

Entries are written sorted by name, so the file only changes when a dependency does.
The format is Akua's own: a lock written by Akua's tool reads the same (its `helm+...#chart`
and `oci://` sources, see Dependency.recorded_as), and fields Akua-Django does not use
(`signature`, `dependencies`, ...) are kept and written back as they were.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from akua.packaging.errors import PackagingError

LOCK_FILE = "akua.lock"
LOCK_VERSION = 1
_HEADER = (
    "# This file is machine-maintained by Akua (python -m akua.packaging vendor).\n"
    "# It pins every fetched dependency by digest; do not edit it by hand.\n"
)
_FIELDS = ("name", "version", "source", "digest")


@dataclass(frozen=True)
class LockEntry:
    name: str
    version: str
    source: str
    digest: str
    extra: tuple = ()  # (key, value) pairs of the other fields of the entry, in file order


def read_lock(package_dir: Path) -> dict[str, LockEntry]:
    """The entries of `<package_dir>/akua.lock` by name; `{}` when there is no lock file."""
    path = Path(package_dir) / LOCK_FILE
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise PackagingError(
            f"invalid TOML: {exc}; delete {LOCK_FILE} and vendor again to rebuild it",
            file=str(path),
            line=int(match.group(1)) if match else None,
        ) from None
    except UnicodeDecodeError:
        raise PackagingError(f"{LOCK_FILE} is not UTF-8 text", file=str(path)) from None

    if data.get("version") != LOCK_VERSION:
        raise PackagingError(
            f"unsupported lock version {data.get('version')!r} (this Akua reads version = {LOCK_VERSION})",
            file=str(path),
        )
    packages = data.get("package", [])
    if not isinstance(packages, list):
        raise PackagingError("[[package]] entries expected", file=str(path))
    entries: dict[str, LockEntry] = {}
    for number, item in enumerate(packages, start=1):
        if not isinstance(item, dict) or not all(isinstance(item.get(f), str) for f in _FIELDS):
            raise PackagingError(
                f"[[package]] entry {number} needs string fields {', '.join(_FIELDS)}",
                file=str(path),
            )
        if item["name"] in entries:
            raise PackagingError(f"[[package]] {item['name']!r} appears twice", file=str(path))
        extra = tuple((k, v) for k, v in item.items() if k not in _FIELDS)
        entries[item["name"]] = LockEntry(**{f: item[f] for f in _FIELDS}, extra=extra)
    return entries


def write_lock(package_dir: Path, entries: dict[str, LockEntry]) -> None:
    """Write `<package_dir>/akua.lock` atomically, entries sorted by name."""
    lines = [_HEADER, f"version = {LOCK_VERSION}\n"]
    for name in sorted(entries):
        entry = entries[name]
        lines.append("\n[[package]]\n")
        for field in _FIELDS:
            lines.append(f"{field} = {_toml_string(getattr(entry, field))}\n")
        for key, value in entry.extra:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}\n")
    path = Path(package_dir) / LOCK_FILE
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".akua.lock.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("".join(lines))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
        )
    return _toml_string(str(value))


def _toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes, \uXXXX for control characters).
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
