"""Values inside inputs, named by a path: read, write, delete, walk.

The syntax is `akua.packaging.paths` (`image.tag`, `dbs.0.password`,
`config."grafana.ini".server`): a str segment is a mapping key, an int a list index. Every
stored and shown path is canonical (`format`), so two spellings never name one value twice.

Paths written before quoted segments existed (`a.0.b`, split on dots) stay valid: they
parse to the same segments, and an index segment on a mapping reads and writes the key
spelled the same (`"0"`), which is what the old code did.

`MISSING` is the one "no value here" sentinel of the inputs code: a path that leads
nowhere, a field without a default.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from akua.packaging.paths import PathError, Segment, canonical, join, parse
from akua.packaging.paths import format as format_path

__all__ = [
    "MISSING",
    "PathError",
    "Segment",
    "canonical",
    "delete_value",
    "format_path",
    "get_value",
    "is_within",
    "join",
    "leaves",
    "parent",
    "parse",
    "segments",
    "set_value",
]


class _Missing:
    """No value: not None (a value), not "" (a value a person typed)."""

    _instance: _Missing | None = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


MISSING: Any = _Missing()

Path = str | tuple[Segment, ...] | list[Segment]


def segments(path: Path) -> tuple[Segment, ...]:
    """The segments of a path given as text or already split; PathError if malformed."""
    if isinstance(path, tuple | list):
        return tuple(path)
    return parse(path)


def parent(path: Path) -> tuple[str, Segment]:
    """`(parent path, last segment)`: `config."grafana.ini".server` -> (`config."grafana.ini"`, `server`)."""
    segs = segments(path)
    if not segs:
        raise PathError("the root has no parent")
    return format_path(segs[:-1]), segs[-1]


def is_within(path: str, ancestor: str) -> bool:
    """`path` is `ancestor` or inside it. Both canonical: a canonical path's segments end
    where its dots between segments are, so a text prefix ending in "." is a segment prefix."""
    return not ancestor or path == ancestor or path.startswith(ancestor + ".")


def _child(node: Any, segment: Segment) -> Any:
    if isinstance(node, dict):
        if segment in node:
            return node[segment]
        if isinstance(segment, int) and str(segment) in node:
            return node[str(segment)]
        return MISSING
    if isinstance(node, list) and isinstance(segment, int) and segment < len(node):
        return node[segment]
    return MISSING


def get_value(data: Any, path: Path, default: Any = MISSING) -> Any:
    """The value at `path` ("" is `data` itself), or `default` when the path leads nowhere."""
    node = data
    for segment in segments(path):
        node = _child(node, segment)
        if node is MISSING:
            return default
    return node


def set_value(data: dict, path: Path, value: Any) -> None:
    """Set the value at `path`, making what is missing on the way.

    A missing mapping is made for a key, a missing list for an index; a list takes an
    existing index or the next one (appended); anything else is a PathError naming it.
    """
    segs = segments(path)
    if not segs:
        raise PathError("a value needs a path; the root cannot be set")
    node: Any = data
    for depth, segment in enumerate(segs):
        last = depth == len(segs) - 1
        if isinstance(node, dict):
            key = str(segment) if isinstance(segment, int) and segment not in node else segment
            if last:
                node[key] = value
                return
            if not isinstance(node.get(key), dict | list):
                node[key] = [] if isinstance(segs[depth + 1], int) else {}
            node = node[key]
        elif isinstance(node, list):
            if not isinstance(segment, int) or segment > len(node):
                where = format_path(segs[: depth + 1])
                raise PathError(f"{where}: there is no item {segment} in the inputs.")
            if segment == len(node):
                node.append(value if last else ([] if isinstance(segs[depth + 1], int) else {}))
                if last:
                    return
            elif last:
                node[segment] = value
                return
            elif not isinstance(node[segment], dict | list):
                node[segment] = [] if isinstance(segs[depth + 1], int) else {}
            node = node[segment]
        else:  # never reached: containers are made above
            raise PathError(f"{format_path(segs[:depth])} is not a mapping or a list")


def delete_value(data: Any, path: Path) -> None:
    """Remove the value at `path` (a key or a list item); nothing when there is none."""
    segs = segments(path)
    if not segs:
        return
    node = get_value(data, segs[:-1])
    last = segs[-1]
    if isinstance(node, dict):
        if last in node:
            del node[last]
        elif isinstance(last, int):
            node.pop(str(last), None)
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        del node[last]


def leaves(data: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """`(path, value)` of every value that is not a mapping or a list, depth first."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, join(path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(value, join(path, index))
    elif path:
        yield path, data
