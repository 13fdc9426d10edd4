"""A chart's values as a tree of typed, documented nodes: from values.schema.json or values.yaml.

`chart_values(chart_dir)` reads the chart's `values.schema.json` when it has one (types,
enums, `required`, descriptions) and its `values.yaml` (defaults; comments above a key as
the description where the schema has none). Without a schema, types are inferred from the
values. A mapping whose keys are all usable as KCL attribute names becomes an object node
(a nested schema); any other mapping is a `{str:T}` leaf.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from akua.packaging.errors import PackagingError

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# A commented-out line of YAML (`# key: value`, `# - item`) is not a description.
_COMMENTED_YAML = re.compile(r"^\s*(-\s|[\w.\-/\"']+:(\s|$))")


@dataclass
class ValueNode:
    """One value of the chart. Object nodes have children; leaves have a KCL type."""

    path: str
    key: str
    kcl_type: str = "any"
    default: Any = MISSING
    description: str = ""
    required: bool = False
    children: dict[str, ValueNode] = field(default_factory=dict)
    enum: list | None = None

    @property
    def is_object(self) -> bool:
        return bool(self.children)

    @property
    def has_default(self) -> bool:
        return self.default is not MISSING

    def walk(self):
        """This node's descendants, depth first, in the chart's order (the root excluded)."""
        for child in self.children.values():
            yield child
            yield from child.walk()

    def find(self, path: str) -> ValueNode | None:
        node = self
        for part in path.split("."):
            node = node.children.get(part)
            if node is None:
                return None
        return node


def chart_values(chart_dir: Path) -> ValueNode:
    """The values tree of the chart in `chart_dir` (the root node has path "")."""
    chart_dir = Path(chart_dir)
    values, comments = read_values_yaml(chart_dir / "values.yaml")
    schema_path = chart_dir / "values.schema.json"
    if schema_path.is_file():
        try:
            schema = json.loads(schema_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise PackagingError(f"values.schema.json is not valid JSON: {exc}") from None
        root = from_schema(schema, values, comments)
    else:
        root = from_values(values, comments)
    return root


def read_values_yaml(path: Path) -> tuple[dict, dict[str, str]]:
    """values.yaml as plain data, and the comment block above each key by dotted path."""
    if not path.is_file():
        return {}, {}
    text = path.read_text(encoding="utf-8", errors="replace")
    yaml = YAML(typ="rt")
    try:
        doc = yaml.load(text)
    except YAMLError as exc:
        raise PackagingError(f"values.yaml is not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        return {}, {}
    lines = text.splitlines()
    comments: dict[str, str] = {}
    _collect_comments(doc, "", lines, comments)
    return _plain(doc), comments


def _collect_comments(mapping, prefix: str, lines: list[str], out: dict[str, str]) -> None:
    if not isinstance(mapping, CommentedMap):
        return
    for key, value in mapping.items():
        path = f"{prefix}{key}"
        try:
            line, _col = mapping.lc.key(key)
        except (KeyError, TypeError):
            line = None
        if line is not None:
            text = _comment_above(lines, line)
            if text:
                out[path] = text
        if isinstance(value, CommentedMap):
            _collect_comments(value, f"{path}.", lines, out)


def _comment_above(lines: list[str], line: int) -> str:
    """The `#` lines directly above line `line` (0-based), as text; helm-docs' `-- ` stripped."""
    block: list[str] = []
    i = line - 1
    while i >= 0 and lines[i].strip().startswith("#"):
        block.append(lines[i].strip().lstrip("#"))
        i -= 1
    block.reverse()
    # Keep only the prose after the last commented-out YAML line.
    for index in range(len(block) - 1, -1, -1):
        if _COMMENTED_YAML.match(block[index]):
            block = block[index + 1 :]
            break
    text = " ".join(part.strip() for part in block if part.strip())
    text = re.sub(r"^--\s*", "", text)
    text = re.sub(r"^@(param|section)\s+\S+\s*", "", text)
    return text.strip()


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


# -- inferred from values.yaml ---------------------------------------------------------------


def from_values(values: dict, comments: dict[str, str]) -> ValueNode:
    root = ValueNode(path="", key="")
    for key, value in values.items():
        node = _infer(key, key, value, comments)
        root.children[key] = node
    return root


def _infer(path: str, key: str, value, comments: dict[str, str]) -> ValueNode:
    node = ValueNode(path=path, key=key, description=comments.get(path, ""))
    if isinstance(value, dict) and value and all(_KEY.match(k) for k in value):
        for child_key, child_value in value.items():
            node.children[child_key] = _infer(
                f"{path}.{child_key}", child_key, child_value, comments
            )
        node.kcl_type = "object"
        node.default = value
        return node
    node.kcl_type = infer_type(value)
    node.default = MISSING if value is None else value
    return node


def infer_type(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        kinds = {infer_type(v) for v in value}
        if len(kinds) == 1 and (only := kinds.pop()) in ("bool", "int", "float", "str"):
            return f"[{only}]"
        return "[any]"
    if isinstance(value, dict):
        kinds = {infer_type(v) for v in value.values()}
        if len(kinds) == 1 and (only := kinds.pop()) in ("bool", "int", "float", "str"):
            return f"{{str:{only}}}"
        return "{str:}"
    return "any"


# -- from values.schema.json -----------------------------------------------------------------


def from_schema(schema: dict, values: dict, comments: dict[str, str]) -> ValueNode:
    root = ValueNode(path="", key="")
    _schema_children(root, schema, values if isinstance(values, dict) else {}, comments)
    # Keys in values.yaml the schema does not describe are still values of the chart.
    for key, value in (values or {}).items():
        if key not in root.children:
            root.children[key] = _infer(key, key, value, comments)
    return root


def _schema_children(node: ValueNode, schema: dict, values: dict, comments) -> None:
    required = set(schema.get("required") or [])
    for key, sub in (schema.get("properties") or {}).items():
        if not isinstance(sub, dict):
            continue
        path = f"{node.path}.{key}" if node.path else key
        value = values.get(key, MISSING) if isinstance(values, dict) else MISSING
        child = _from_schema_node(path, key, sub, value, comments)
        child.required = key in required
        node.children[key] = child


def _from_schema_node(path: str, key: str, schema: dict, value, comments) -> ValueNode:
    description = (schema.get("description") or schema.get("title") or "").strip()
    node = ValueNode(path=path, key=key, description=description or comments.get(path, ""))
    props = schema.get("properties")
    if (
        _types(schema) <= {"object"}
        and isinstance(props, dict)
        and props
        and all(_KEY.match(k) for k in props)
    ):
        _schema_children(node, schema, value if isinstance(value, dict) else {}, comments)
        node.kcl_type = "object"
        node.default = value if isinstance(value, dict) else schema.get("default", {})
        return node
    node.kcl_type, node.enum = schema_type(schema)
    if "default" in schema:
        node.default = schema["default"]
    elif value is not MISSING:
        node.default = value
    if node.default is None:
        node.default = MISSING
    return node


def _types(schema: dict) -> set[str]:
    t = schema.get("type")
    if isinstance(t, str):
        return {t}
    if isinstance(t, list):
        return {x for x in t if isinstance(x, str)}
    if "properties" in schema:
        return {"object"}
    return set()


_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def schema_type(schema: dict) -> tuple[str, list | None]:
    """The KCL type of a JSON Schema (null members dropped: the attribute is then optional)."""
    if isinstance(schema.get("enum"), list):
        members = [e for e in schema["enum"] if e is not None]
        if members and all(isinstance(e, str | int | float | bool) for e in members):
            return " | ".join(_literal_member(e) for e in members), members
    if "const" in schema and isinstance(schema["const"], str | int | bool):
        return _literal_member(schema["const"]), [schema["const"]]
    alternatives = schema.get("oneOf") or schema.get("anyOf")
    if isinstance(alternatives, list):
        kinds = []
        for alt in alternatives:
            if isinstance(alt, dict) and _types(alt) != {"null"}:
                kind, _ = schema_type(alt)
                if kind not in kinds:
                    kinds.append(kind)
        if not kinds:
            return "any", None
        return (" | ".join(kinds) if "any" not in kinds else "any"), None
    types = [t for t in _types(schema) if t != "null"]
    if len(types) > 1:
        return " | ".join(schema_type({**schema, "type": t})[0] for t in sorted(types)), None
    kind = types[0] if types else None
    if kind in _SCALARS:
        return _SCALARS[kind], None
    if kind == "array":
        items = schema.get("items")
        if isinstance(items, dict):
            inner, _ = schema_type(items)
            if inner in _SCALARS.values():
                return f"[{inner}]", None
        return "[any]", None
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            inner, _ = schema_type(extra)
            if inner in _SCALARS.values():
                return f"{{str:{inner}}}", None
        return "{str:}", None
    return "any", None


def _literal_member(value) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)
