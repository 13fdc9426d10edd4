"""`akua.toml` text for a generated package, its one dependency pinned."""

from __future__ import annotations

import json

from akua.packaging.manifest import EDITION


def akua_toml(
    name: str,
    version: str,
    *,
    description: str = "",
    alias: str | None = None,
    dependency: dict[str, str] | None = None,
    checksum_annotations: tuple[str, ...] = (),
) -> str:
    """`dependency` is the `[dependencies.<alias>]` table (repo/chart/version/digest, git/rev/…);
    `checksum_annotations` the `[secrets]` table's (akua/packaging/manifest.py)."""
    lines = [
        "[package]",
        f"name = {_s(name)}",
        f"version = {_s(version)}",
        f"edition = {_s(EDITION)}",
    ]
    if description:
        lines.append(f"description = {_s(description)}")
    if alias and dependency:
        lines += ["", f"[dependencies.{alias}]"]
        lines += [f"{key} = {_s(value)}" for key, value in dependency.items() if value]
    if checksum_annotations:
        keys = ", ".join(_s(key) for key in checksum_annotations)
        lines += ["", "[secrets]", f"checksum-annotations = [{keys}]"]
    return "\n".join(lines) + "\n"


def _s(value: str) -> str:
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")
