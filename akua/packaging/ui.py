"""Read `@ui(...)` decorators and attribute docstrings out of package.k, and strip the decorators.

KCL does not know `@ui`, so the decorator lines are replaced by blank lines
before KCL runs (line numbers in errors stay right). What they said is kept
per schema attribute and exported as `x-ui`. The docstring written under an
attribute (the Akua convention) is kept too: KCL's type API does not report it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from akua.packaging.errors import PackagingError

UI_KEYS = (
    "order",
    "group",
    "advanced",
    "widget",
    "placeholder",
    "min",
    "max",
    "label",
    "sensitive",
    "when",
)

_SCHEMA = re.compile(r"^schema\s+([A-Za-z_][A-Za-z0-9_]*)")
# `name:`, `$type:` (a KCL keyword, exported as `type`), `"redis-ha":` (any key, quoted)
_ATTR = re.compile(
    r'^\s+([A-Za-z_$][A-Za-z0-9_]*|[rR]?"(?:[^"\\]|\\.)*"|[rR]?\'(?:[^\'\\]|\\.)*\')\s*\??\s*:'
)
_DOC_START = re.compile(r'^\s*[rRbB]?("""|\'\'\'|"|\')')


@dataclass
class SourceInfo:
    """package.k with `@ui` lines blanked, plus what the decorators and docstrings said."""

    code: str
    ui: dict[str, dict[str, dict]] = field(default_factory=dict)  # schema -> attr -> x-ui
    docs: dict[str, dict[str, str]] = field(default_factory=dict)  # schema -> attr -> text


def scan(source: str, *, file: str = "package.k") -> SourceInfo:
    lines = source.split("\n")
    out = list(lines)
    info = SourceInfo(code="")
    schema: str | None = None
    pending: dict | None = None
    pending_line = 0
    last_attr: str | None = None
    body_indent: int | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if line and not line[0].isspace() and not line.startswith("#"):
            match = _SCHEMA.match(line)
            schema = match.group(1) if match else None
            last_attr = None
            body_indent = None
            if pending is not None:
                raise PackagingError(
                    "@ui(...) must be followed by a schema attribute", file=file, line=pending_line
                )
            i += 1
            continue
        if stripped.startswith("@ui"):
            start = i
            text = stripped
            while _paren_depth(text) > 0 and i + 1 < len(lines):
                i += 1
                text += " " + lines[i].strip()
            for n in range(start, i + 1):
                out[n] = ""
            if schema is None:
                raise PackagingError(
                    "@ui(...) is only allowed on schema attributes", file=file, line=start + 1
                )
            pending = _parse_ui(text, file=file, line=start + 1)
            pending_line = start + 1
            i += 1
            continue
        if schema and stripped and not stripped.startswith("#"):
            indent = len(line) - len(line.lstrip())
            if body_indent is None:
                body_indent = indent
            if indent != body_indent:
                i += 1
                continue
            attr = _ATTR.match(line)
            if _DOC_START.match(line) and not attr:
                end, text = _read_docstring(lines, i)
                if last_attr:
                    info.docs.setdefault(schema, {})[last_attr] = text
                last_attr = None
                i = end + 1
                continue
            if attr and attr.group(1) not in ("check", "mixin"):
                last_attr = _attr_name(attr.group(1))
                if pending is not None:
                    info.ui.setdefault(schema, {})[last_attr] = pending
                    pending = None
                # A default written over several lines ends with its closing bracket.
                text = line
                while _paren_depth(text, "([{", ")]}") > 0 and i + 1 < len(lines):
                    i += 1
                    text += "\n" + lines[i]
            else:
                last_attr = None
                if pending is not None:
                    raise PackagingError(
                        "@ui(...) must be followed by a schema attribute",
                        file=file,
                        line=pending_line,
                    )
        i += 1
    if pending is not None:
        raise PackagingError(
            "@ui(...) must be followed by a schema attribute", file=file, line=pending_line
        )
    info.code = "\n".join(out)
    return info


def _attr_name(text: str) -> str:
    """The name KCL reports for an attribute: `$type` -> `type`, `"redis-ha"` -> `redis-ha`."""
    if text[:1] in "\"'" or (text[:1] in "rR" and text[1:2] in "\"'"):
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text.lstrip("rR")[1:-1]
    return text.removeprefix("$")


def _paren_depth(text: str, opening: str = "(", closing: str = ")") -> int:
    depth = 0
    quote = None
    escaped = False
    comment = False
    for ch in text:
        if comment:
            comment = ch != "\n"
        elif quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            comment = True
        elif ch in opening:
            depth += 1
        elif ch in closing:
            depth -= 1
    return depth


def _parse_ui(text: str, *, file: str, line: int) -> dict:
    call = text[1:].strip()
    if call == "ui":
        return {}
    try:
        node = ast.parse(call, mode="eval").body
    except SyntaxError:
        raise PackagingError(f"cannot read decorator {text}", file=file, line=line) from None
    if not isinstance(node, ast.Call) or node.args:
        raise PackagingError(
            "@ui takes keyword arguments only, like @ui(order=1)", file=file, line=line
        )
    result = {}
    for kw in node.keywords:
        if kw.arg not in UI_KEYS:
            raise PackagingError(
                f"@ui: unknown key {kw.arg!r}; known keys are {', '.join(UI_KEYS)}",
                file=file,
                line=line,
            )
        try:
            result[kw.arg] = ast.literal_eval(kw.value)
        except ValueError:
            raise PackagingError(
                f"@ui: {kw.arg} must be a literal value", file=file, line=line
            ) from None
    return result


def _read_docstring(lines: list[str], start: int) -> tuple[int, str]:
    """The docstring beginning at lines[start]: (index of its last line, its text).

    The text is read as KCL reads the string: `\\"` is a quote and `\\\\` a backslash (other
    escapes are kept as written); the lines are trimmed.
    """
    first = lines[start].strip()
    quote = '"""' if '"""' in first else "'''" if "'''" in first else first.lstrip("rRbB")[0]
    raw = first[:1] in "rR"
    body_start = first.index(quote) + len(quote)
    parts: list[str] = []
    i, text = start, first[body_start:]
    while True:
        end = _closing(text, quote)
        if end is not None:
            parts.append(text[:end])
            break
        parts.append(text)
        i += 1
        if i >= len(lines):
            break
        text = lines[i]
    body = "\n".join(p.strip() for p in parts).strip()
    if not raw:
        body = re.sub(r"\\([\\\"'])", r"\1", body)
    return i, body


def _closing(text: str, quote: str) -> int | None:
    """Where the unescaped closing `quote` is in `text`, or None."""
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(quote, i):
            return i
        i += 1
    return None
