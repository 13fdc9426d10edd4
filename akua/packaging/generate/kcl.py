"""Writing readable KCL: literals, attribute names, schema blocks with docstrings and @ui."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

KEYWORDS = {
    "True", "False", "None", "Undefined", "import", "as", "rule", "schema", "mixin",
    "protocol", "check", "for", "assert", "if", "elif", "else", "or", "and", "not", "in",
    "is", "lambda", "all", "any", "filter", "map", "type", "global", "final", "str", "int",
    "float", "bool",
}  # fmt: skip
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
UI_KEYS = (
    "order", "group", "advanced", "label", "widget", "placeholder", "min", "max", "sensitive",
)  # fmt: skip


def attr_name(key: str) -> str:
    """`key` as a schema attribute name, exported as `key` itself.

    KCL keywords get a `$` prefix; anything that is not an identifier (`redis-ha`,
    `grafana.ini`, `0day`) is written as a string, which KCL takes as an attribute name.
    KCL refuses `${` in an attribute's string (escaped or not) but takes it in a raw one;
    a key it cannot name at all raises ValueError (generation leaves it out and says so).
    """
    if key in KEYWORDS:
        return f"${key}"
    if _IDENT.match(key):
        return key
    if "${" not in key:
        return string(key)
    for quote in ("'", '"'):
        if quote not in key and "\n" not in key and "\r" not in key and not key.endswith("\\"):
            return f"r{quote}{key}{quote}"
    raise ValueError(f"KCL cannot name an attribute {key!r}")


def config_key(key: str) -> str:
    """`key` as a key in a KCL config literal: plain identifiers bare, anything else quoted."""
    return key if _IDENT.match(key) and key not in KEYWORDS else json.dumps(key)


def string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False).replace("${", "\\${")


def literal(value: Any, indent: int = 0) -> str:
    """A KCL literal for a JSON-like value."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = [literal(v, indent) for v in value]
        flat = "[" + ", ".join(inner) + "]"
        if len(flat) <= 80 and "\n" not in flat:
            return flat
        pad = " " * (indent + 4)
        return (
            "[\n" + "".join(f"{pad}{literal(v, indent + 4)}\n" for v in value) + " " * indent + "]"
        )
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{string(str(k))}: {literal(v, indent + 4)}" for k, v in value.items()]
        flat = "{" + ", ".join(items) + "}"
        if len(flat) <= 80 and "\n" not in flat:
            return flat
        pad = " " * (indent + 4)
        return "{\n" + "".join(f"{pad}{item}\n" for item in items) + " " * indent + "}"
    return string(str(value))


def docstring(text: str, indent: int) -> list[str]:
    """A docstring keeping the text's lines (markdown paragraphs and lists survive)."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        return []
    lines = [line.replace("\\", "\\\\").replace('"', '\\"') for line in lines]
    if lines[-1].endswith('"'):
        lines[-1] += " "
    pad = " " * indent
    if len(lines) == 1:
        return [f'{pad}"""{lines[0]}"""']
    return [f'{pad}"""{lines[0]}', *[f"{pad}{line}" if line else "" for line in lines[1:-1]],
            f'{pad}{lines[-1]}"""']  # fmt: skip


def ui_decorator(ui: dict, indent: int) -> list[str]:
    parts = []
    for key in UI_KEYS:
        if key not in ui or ui[key] is None or ui[key] is False or ui[key] == "":
            continue  # (`in (None, "", False)` would drop `min=0`: 0 == False)
        value = ui[key]
        if key in ("sensitive", "advanced"):
            parts.append(f"{key}=True")
        elif key in ("order", "min", "max"):
            parts.append(f"{key}={value}")
        else:
            parts.append(f"{key}={string(str(value))}")
    if not parts:
        return []
    return [" " * indent + "@ui(" + ", ".join(parts) + ")"]


@dataclass
class Attribute:
    name: str
    kcl_type: str
    default: str | None = None  # a KCL expression
    optional: bool = False
    description: str = ""
    ui: dict = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = ui_decorator(self.ui, 4)
        head = f"    {attr_name(self.name)}{'?' if self.optional else ''}: {self.kcl_type}"
        if self.default is not None:
            head += f" = {self.default}"
        out.append(head)
        out += docstring(self.description, 4)
        return out


@dataclass
class Schema:
    name: str
    description: str = ""
    attributes: list[Attribute] = field(default_factory=list)
    index: str | None = None  # the type of other keys: `[...str]: <index>`

    def text(self) -> str:
        lines = [f"schema {self.name}:"]
        if self.description:
            lines += docstring(self.description, 4)
            lines.append("")
        if self.index:
            lines += [f"    [...str]: {self.index}", ""]
        for index, attribute in enumerate(self.attributes):
            if index:
                lines.append("")
            lines += attribute.lines()
        if not self.attributes and not self.description and not self.index:
            lines += docstring("No inputs.", 4)
        return "\n".join(lines) + "\n"


def unique_name(wanted: str, taken: Iterable[str]) -> str:
    taken = set(taken)
    name, n = wanted, 2
    while name in taken:
        name, n = f"{wanted}{n}", n + 1
    return name
