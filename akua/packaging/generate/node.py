"""One value of a chart, or the shape of a map's values or a list's items, as generation sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from akua.packaging import paths

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()


@dataclass
class ValueNode:
    """One value of the chart (or the shape of a map's values / an array's items)."""

    segments: tuple[str, ...]
    key: str = ""  # the mapping key; "*" for a map's values, "[]" for an array's items
    kind: str = "scalar"  # object map array union scalar
    kcl_type: str = "any"  # scalars
    default: Any = MISSING
    description: str = ""
    required: bool = False
    nullable: bool = False
    addressable: bool = True
    children: dict[str, ValueNode] = field(default_factory=dict)
    extra: ValueNode | None = None
    open: bool = False
    members: list[ValueNode] = field(default_factory=list)
    enum: list | None = None
    minimum: Any = None
    maximum: Any = None
    schema_default: Any = MISSING
    trail: tuple[str, ...] = ()  # name parts for schema names, maps and items included

    @property
    def path(self) -> str:
        """The canonical path (`image.tag`, `"redis-ha".enabled`); "" for the root."""
        return paths.format(self.segments)

    @property
    def is_object(self) -> bool:
        return self.kind == "object"

    @property
    def has_default(self) -> bool:
        return self.default is not MISSING

    @property
    def type_label(self) -> str:
        """A short type for people: `int`, `object`, `{str:object}`, `[object]`."""
        if self.kind == "object":
            return "object"
        if self.kind == "map":
            return "{str:" + (self.extra.type_label if self.extra else "any") + "}"
        if self.kind == "array":
            return "[" + (self.extra.type_label if self.extra else "any") + "]"
        if self.kind == "union":
            return " | ".join(dict.fromkeys(m.type_label for m in self.members))
        return self.kcl_type

    def walk(self):
        """The addressable descendants, depth first, in the chart's order (the root excluded)."""
        for child in self.children.values():
            yield child
            yield from child.walk()

    def walk_all(self):
        """Every descendant, map values, array items and union members included."""
        for child in self.children.values():
            yield child
            yield from child.walk_all()
        for node in [self.extra, *self.members]:
            if node is not None:
                yield node
                yield from node.walk_all()

    def find(self, path: str) -> ValueNode | None:
        try:
            segments = paths.parse(path)
        except paths.PathError:
            return None
        node = self
        for segment in segments:
            if not isinstance(segment, str) or node.kind != "object":
                return None
            node = node.children.get(segment)
            if node is None:
                return None
        return node
