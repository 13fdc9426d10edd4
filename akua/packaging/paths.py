"""Paths that name one value inside inputs (and its schema): `image.tag`, `dbs.0.password`,
`config."grafana.ini".server`, `"redis-ha".enabled`.

A values.yaml key can hold anything (dots, hyphens, leading digits, quotes, spaces), so a
path is a sequence of segments, written joined by `.`:

- a bare segment `[A-Za-z_][A-Za-z0-9_]*` is a mapping key;
- a bare run of digits (`0`, `12`) is a list index;
- any other key is written as a JSON string: `"grafana.ini"`, `"redis-ha"`, `"0"` (a
  mapping key that is all digits), `"say \\"hi\\""`.

`format` always writes that canonical form, so one value has one path and stored paths
(sensitive inputs, vendor overrides, `x-ui` references) compare as strings. `parse` also
accepts what a person types on a command line, as `helm --set` does: bare keys with
hyphens (`redis-ha.enabled`). Pure: no Django, no schema; `installations.input_schema`
walks inputs and schemas with these segments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

Segment = str | int

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_INDEX = re.compile(r"(?:0|[1-9][0-9]*)\Z")
# What parse accepts unquoted: identifiers, indexes, and hyphenated keys typed by hand.
_BARE = re.compile(r"[A-Za-z0-9_-]+")


class PathError(ValueError):
    """A path that cannot be read; the message says where."""


def format_segment(segment: Segment) -> str:
    if isinstance(segment, bool) or not isinstance(segment, str | int):
        raise TypeError(f"a path segment is a key (str) or an index (int), not {segment!r}")
    if isinstance(segment, int):
        if segment < 0:
            raise PathError(f"a list index cannot be negative: {segment}")
        return str(segment)
    if _IDENT.match(segment):
        return segment
    return json.dumps(segment, ensure_ascii=False)


def format(segments: Iterable[Segment]) -> str:
    """The canonical path of `segments`: `("config", "grafana.ini")` -> `config."grafana.ini"`."""
    return ".".join(format_segment(s) for s in segments)


def join(path: str, segment: Segment) -> str:
    """`path` extended by one segment; `path` "" is the root."""
    tail = format_segment(segment)
    return f"{path}.{tail}" if path else tail


def parse(path: str) -> tuple[Segment, ...]:
    """The segments of `path`; "" is the root (no segments). PathError for a malformed path."""
    if not isinstance(path, str):
        raise PathError(f"a path is text, not {type(path).__name__}")
    out: list[Segment] = []
    i, n = 0, len(path)
    if n == 0:
        return ()
    while True:
        if i < n and path[i] == '"':
            end = _string_end(path, i)
            try:
                out.append(json.loads(path[i : end + 1]))
            except ValueError:
                raise PathError(f"bad quoted key at character {i + 1} of {path!r}") from None
            i = end + 1
        else:
            match = _BARE.match(path, i)
            if not match:
                what = "an empty key" if i >= n or path[i] == "." else f"{path[i]!r}"
                raise PathError(
                    f"{what} at character {i + 1} of {path!r}; quote keys that hold "
                    'anything but letters, digits, "_" and "-": config."grafana.ini"'
                )
            text = match.group(0)
            out.append(int(text) if _INDEX.match(text) else text)
            i = match.end()
        if i == n:
            return tuple(out)
        if path[i] != ".":
            raise PathError(f"expected '.' at character {i + 1} of {path!r}")
        i += 1


def canonical(path: str) -> str:
    """`path` rewritten in the canonical form (`redis-ha.x` -> `"redis-ha".x`)."""
    return format(parse(path))


def _string_end(path: str, start: int) -> int:
    i = start + 1
    while i < len(path):
        if path[i] == "\\":
            i += 2
            continue
        if path[i] == '"':
            return i
        i += 1
    raise PathError(f"unclosed quote at character {start + 1} of {path!r}")
