"""The value list of the "Generate new version" page: one row per value, what is checked.

A row is one value path of the chart (canonical syntax, `"redis-ha".enabled`), with its
parent row (for select all / none per subtree and the filter), its type, default and help.
A value is checked when it or an ancestor is exposed. A first generation (the source has
never published) proposes every top-level section exposed, and as essentials the
top-level values most charts lead with (image, ports, service, ...), so the vendor starts
from "everything, sensible first steps" rather than from nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from akua.packaging import paths
from akua.packaging.generate import ValueNode

# Top-level values a first generation proposes as essentials, when the chart has them.
USUAL_ESSENTIALS = (
    "image", "replicaCount", "replicas", "ports", "service", "ingress", "persistence",
    "auth", "resources", "env", "config",
)  # fmt: skip
MAX_PROPOSED_ESSENTIALS = 6
DEFAULT_CHARS = 60


@dataclass
class Row:
    index: int
    parent: int | None
    depth: int
    path: str
    key: str
    type: str
    default: str
    help: str
    checked: bool
    essential: bool
    has_children: bool

    @property
    def top_level(self) -> bool:
        return self.depth == 0


def rows(root: ValueNode, exposed: list[str], essentials: list[str]) -> list[Row]:
    """The rows of every value path, depth first, in the chart's order."""
    chosen = {_canonical(p) for p in exposed}
    essential = {_canonical(p) for p in essentials}
    out: list[Row] = []

    def walk(node: ValueNode, parent: int | None, depth: int, inherited: bool) -> None:
        for child in node.children.values():
            path = child.path
            checked = inherited or path in chosen
            row = Row(
                index=len(out),
                parent=parent,
                depth=depth,
                path=path,
                key=child.key,
                type=child.type_label,
                default=_default(child),
                help=child.description,
                checked=checked,
                essential=depth == 0 and path in essential,
                has_children=bool(child.children),
            )
            out.append(row)
            walk(child, row.index, depth + 1, checked)

    walk(root, None, 0, False)
    return out


def proposed_exposed(root: ValueNode) -> list[str]:
    """A first generation: every top-level section."""
    return [child.path for child in root.children.values()]


def proposed_essentials(root: ValueNode) -> list[str]:
    keys = [key for key in root.children if key in USUAL_ESSENTIALS]
    return [paths.format([key]) for key in keys[:MAX_PROPOSED_ESSENTIALS]]


def _default(node: ValueNode) -> str:
    if node.is_object or not node.has_default:
        return ""
    text = json.dumps(node.default, ensure_ascii=False)
    return text if len(text) <= DEFAULT_CHARS else text[: DEFAULT_CHARS - 1] + "…"


def _canonical(path: str) -> str:
    try:
        return paths.canonical(path)
    except paths.PathError:
        return path
