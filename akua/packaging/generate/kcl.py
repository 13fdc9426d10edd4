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
UI_KEYS = ("order", "group", "label", "widget", "placeholder", "min", "max", "sensitive")


def attr_name(key: str) -> str:
    """`key` as a schema attribute name: KCL keywords get a `$` prefix (exported without it)."""
    return f"${key}" if key in KEYWORDS else key


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
    text = " ".join(text.split()).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if not text:
        return []
    if text.endswith('"'):
        text += " "
    return [" " * indent + f'"""{text}"""']


def ui_decorator(ui: dict, indent: int) -> list[str]:
    parts = []
    for key in UI_KEYS:
        if key not in ui or ui[key] in (None, "", False):
            continue
        value = ui[key]
        if key == "sensitive":
            parts.append("sensitive=True")
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

    def text(self) -> str:
        lines = [f"schema {self.name}:"]
        if self.description:
            lines += docstring(self.description, 4)
            lines.append("")
        for index, attribute in enumerate(self.attributes):
            if index:
                lines.append("")
            lines += attribute.lines()
        if not self.attributes and not self.description:
            lines += docstring("No inputs.", 4)
        return "\n".join(lines) + "\n"


def unique_name(wanted: str, taken: Iterable[str]) -> str:
    taken = set(taken)
    name, n = wanted, 2
    while name in taken:
        name, n = f"{wanted}{n}", n + 1
    return name
