"""A chart's values as a tree of typed, documented nodes: from values.schema.json and values.yaml.

`chart_values(chart_dir)` reads `values.yaml` (the defaults, in the chart's key order, and
the comment above each key as its description; see `comments`) and, when the chart has
one, `values.schema.json` (types, enums, `required`, descriptions). Helm ignores schema
defaults, so a node's default is what values.yaml holds; a schema default is only kept
(`schema_default`) to be reported when it disagrees.

Node kinds:

- `object`: named children (any key: `redis-ha`, `grafana.ini`, `0day`), maybe `extra` (the
  type of other keys: `additionalProperties`/`patternProperties` next to `properties`) or
  `open` (other keys of any type: a values.yaml mapping without a schema, since Helm takes
  any key);
- `map`: `{str: extra}` (a schema with only `additionalProperties`/`patternProperties`, or
  an empty mapping);
- `array`: `[extra]` (`items`, or inferred from the default's items);
- `union`: `members` (a `oneOf`/`anyOf` with object, map or array members);
- `scalar`: a KCL type (`str`, `int | str`, `"a" | "b"`, `any`).

Every key of values.yaml is in the tree: keys the schema does not describe are inferred
from their values, and a type is widened where values.yaml holds something its schema
does not allow (so the generated Input accepts the chart's own defaults). Nodes under a
map value or an array item (`ports.*.port`) are not addressable by a path: exposing the
map exposes them.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from akua.packaging import paths
from akua.packaging.errors import PackagingError
from akua.packaging.generate.comments import comment_above

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_MAX_DEPTH = 24  # schema nesting followed (`$ref` cycles end here)
_MAX_VALUES_DEPTH = 64


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
        if not isinstance(schema, dict):
            raise PackagingError("values.schema.json is not a JSON Schema object")
        root = _Builder(schema, comments).node((), (), schema, values, addressable=True)
        if root.kind != "object":
            root = infer((), values, comments)
    else:
        root = infer((), values, comments)
    root.open = False  # the Input takes the chosen values only
    root.extra = None
    return root


# -- values.yaml ----------------------------------------------------------------------------


def read_values_yaml(path: Path) -> tuple[dict, dict[str, str]]:
    """values.yaml as plain data, and the description above each key by canonical path."""
    if not path.is_file():
        return {}, {}
    text = path.read_text(encoding="utf-8", errors="replace")
    yaml = YAML(typ="rt")
    yaml.version = (1, 1)  # as Helm reads it (go-yaml): `yes`, `on`, `y` are booleans
    try:
        doc = yaml.load(text)
    except YAMLError as exc:
        raise PackagingError(f"values.yaml is not valid YAML: {exc}") from None
    except RecursionError:
        raise PackagingError("values.yaml is nested too deeply") from None
    if _depth(doc) > _MAX_VALUES_DEPTH:
        raise PackagingError(f"values.yaml is nested more than {_MAX_VALUES_DEPTH} levels deep")
    if not isinstance(doc, dict):
        return {}, {}
    lines = text.splitlines()
    comments: dict[str, str] = {}
    _collect_comments(doc, "", lines, comments)
    return _plain(doc), comments


def _depth(value, level: int = 0) -> int:
    """How deep `value` nests (stops counting past the limit)."""
    if level > _MAX_VALUES_DEPTH or not isinstance(value, dict | list):
        return level
    items = value.values() if isinstance(value, dict) else value
    return max((_depth(v, level + 1) for v in items), default=level + 1)


def _collect_comments(mapping, prefix: str, lines: list[str], out: dict[str, str]) -> None:
    if not isinstance(mapping, CommentedMap):
        return
    for key, value in mapping.items():
        path = paths.join(prefix, str(key))
        try:
            line, _col = mapping.lc.key(key)
        except (KeyError, TypeError):
            line = None
        if line is not None:
            text = comment_above(lines, line)
            if text:
                out[path] = text
        if isinstance(value, CommentedMap):
            _collect_comments(value, path, lines, out)


def _plain(value):
    if isinstance(value, dict):
        return {_key(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        number = int(value)
        # Beyond 64 bits Go (so Helm) and KCL read a number as a float.
        return number if -(2**63) <= number < 2**63 else float(number)
    if isinstance(value, float):
        number = float(value)
        return number if number == number and abs(number) != float("inf") else str(value)
    if value is None or isinstance(value, str):
        return None if value is None else str(value)
    return str(value)  # timestamps and the like: Helm reads them as strings


def _key(key) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


# -- inferred from values --------------------------------------------------------------------


def infer(
    segments: tuple,
    value,
    comments: dict[str, str],
    *,
    addressable: bool = True,
    trail: tuple = (),
    key: str = "",
) -> ValueNode:
    """The node of a value without a schema: its type from the value itself."""
    path = paths.format(segments)
    node = ValueNode(
        segments=segments,
        key=key,
        description=comments.get(path, "") if addressable else "",
        addressable=addressable,
        trail=trail or segments,
    )
    if isinstance(value, dict) and value:
        node.kind, node.open = "object", True
        for k, v in value.items():
            node.children[k] = infer(
                (*segments, k), v, comments, addressable=addressable, trail=(*node.trail, k), key=k
            )
    elif isinstance(value, dict):
        node.kind = "map"
    elif isinstance(value, list):
        node.kind = "array"
        if value:
            item = infer(segments, value[0], {}, addressable=False, trail=(*node.trail, "Item"))
            item.key = "[]"
            for other in value[1:]:
                absorb(item, other)
            node.extra = None if item.kind == "scalar" and item.kcl_type == "any" else item
    else:
        node.kcl_type = scalar_type(value)
        node.nullable = value is None
    if value is not None:
        node.default = value
    return node


def scalar_type(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    return "any"


def absorb(node: ValueNode, value) -> None:
    """Widen `node` so that `value` (a default from values.yaml) is one of its values."""
    if value is None:
        node.nullable = True
        return
    if node.kind == "union":
        if not any(fits(m, value) for m in node.members):
            for member in node.members:
                if _same_shape(member, value):
                    absorb(member, value)
                    return
            node.members.append(_inferred_member(node, value, len(node.members)))
        return
    if node.kind == "object" and isinstance(value, dict):
        for k, v in value.items():
            child = node.children.get(k)
            if child is not None:
                absorb(child, v)
            elif node.extra is not None:
                absorb(node.extra, v)
            elif not node.open:
                node.children[k] = infer(
                    (*node.segments, k) if node.addressable else node.segments,
                    v,
                    {},
                    addressable=node.addressable,
                    trail=(*node.trail, k),
                    key=k,
                )
                node.children[k].required = False
        if not node.addressable:
            for k, child in node.children.items():
                if k not in value:
                    child.required = False
        return
    if node.kind == "map" and isinstance(value, dict):
        if node.extra is not None:
            for v in value.values():
                absorb(node.extra, v)
        return
    if node.kind == "array" and isinstance(value, list):
        if node.extra is not None:
            for v in value:
                absorb(node.extra, v)
        return
    if node.kind == "scalar" and fits(node, value):
        return
    if node.kind == "scalar" and not isinstance(value, dict | list):
        if node.enum is not None:
            node.enum = None
            node.kcl_type = " | ".join(dict.fromkeys(_base_types(node.kcl_type)))
        node.kcl_type = _union_text(node.kcl_type, scalar_type(value))
        return
    # A structure where the schema says otherwise (or the reverse): both are allowed.
    original = copy.copy(node)
    original.trail = (*node.trail, "Option1")
    node.kind, node.members = "union", [original, _inferred_member(node, value, 1)]
    node.children, node.extra, node.open = {}, None, False


def _inferred_member(node: ValueNode, value, index: int) -> ValueNode:
    member = infer(
        node.segments,
        value,
        {},
        addressable=False,
        trail=(*node.trail, f"Option{index + 1}"),
    )
    member.key = node.key
    return member


def _same_shape(node: ValueNode, value) -> bool:
    if isinstance(value, dict):
        return node.kind in ("object", "map")
    if isinstance(value, list):
        return node.kind == "array"
    return node.kind == "scalar"


def fits(node: ValueNode, value) -> bool:
    """Whether KCL accepts `value` for `node`'s type."""
    if value is None:
        return node.nullable or not node.required
    if node.kind == "union":
        return any(fits(m, value) for m in node.members)
    if node.kind == "object":
        if not isinstance(value, dict):
            return False
        for k, v in value.items():
            child = node.children.get(k)
            if child is not None:
                if not fits(child, v):
                    return False
            elif node.extra is not None:
                if not fits(node.extra, v):
                    return False
            elif not node.open:
                return False
        return True
    if node.kind == "map":
        return isinstance(value, dict) and (
            node.extra is None or all(fits(node.extra, v) for v in value.values())
        )
    if node.kind == "array":
        return isinstance(value, list) and (
            node.extra is None or all(fits(node.extra, v) for v in value)
        )
    if node.enum is not None:
        return any(v == value and type(v) is type(value) for v in node.enum)
    kinds = set(_base_types(node.kcl_type))
    if "any" in kinds:
        return True
    kind = scalar_type(value)
    return kind in kinds or (kind == "int" and "float" in kinds)


def _base_types(kcl_type: str) -> list[str]:
    out = []
    for part in kcl_type.split(" | "):
        part = part.strip()
        if part.startswith('"'):
            out.append("str")
        elif part in ("True", "False"):
            out.append("bool")
        elif part.lstrip("-").replace(".", "", 1).isdigit():
            out.append("float" if "." in part else "int")
        else:
            out.append(part)
    return out


def _union_text(a: str, b: str) -> str:
    parts = [p for p in a.split(" | ") if p] + [b]
    if "any" in parts:
        return "any"
    return " | ".join(dict.fromkeys(parts))


# -- from values.schema.json -----------------------------------------------------------------


class _Builder:
    """Nodes from a JSON Schema (local `$ref`s resolved, `allOf` merged) and values.yaml."""

    def __init__(self, root_schema: dict, comments: dict[str, str]):
        self.root_schema = root_schema
        self.comments = comments

    def node(
        self,
        segments: tuple,
        trail: tuple,
        schema,
        value=MISSING,
        *,
        addressable: bool,
        key: str = "",
        depth: int = 0,
    ) -> ValueNode:
        schema = self.resolve(schema if isinstance(schema, dict) else {}, depth)
        path = paths.format(segments)
        description = str(schema.get("description") or schema.get("title") or "").strip()
        if addressable and not description:
            description = self.comments.get(path, "")
        node = ValueNode(
            segments=segments,
            key=key,
            description=description.replace("\r\n", "\n"),
            addressable=addressable,
            trail=trail,
            minimum=_number(schema.get("minimum")),
            maximum=_number(schema.get("maximum")),
        )
        if "default" in schema:
            node.schema_default = schema["default"]
        value = None if value is MISSING else value
        if depth > _MAX_DEPTH:
            node.kcl_type = "any"
            return self._finish(node, value)
        types = _types(schema)
        node.nullable = "null" in types or (
            isinstance(schema.get("enum"), list) and None in schema["enum"]
        )
        alternatives = schema.get("oneOf") or schema.get("anyOf")
        if isinstance(alternatives, list) and alternatives:
            self._union(node, alternatives, value, depth)
        elif _is_object(schema, types):
            self._object(node, schema, value, depth)
        elif types - {"null"} == {"array"} or (not types and "items" in schema):
            self._array(node, schema, value, depth)
        else:
            node.kcl_type, node.enum = scalar_schema_type(schema)
            if node.kcl_type == "any" and isinstance(value, dict | list):
                inferred = infer(
                    segments, value, self.comments, addressable=addressable, trail=node.trail
                )
                inferred.description = node.description or inferred.description
                inferred.schema_default = node.schema_default
                inferred.key = key
                return inferred
        return self._finish(node, value)

    def _finish(self, node: ValueNode, value) -> ValueNode:
        if value is not None:
            absorb(node, value)
            node.default = value
        return node

    def _union(self, node: ValueNode, alternatives: list, value, depth: int) -> None:
        members = []
        for index, alt in enumerate(alternatives):
            alt = self.resolve(alt if isinstance(alt, dict) else {}, depth)
            if _types(alt) == {"null"} or alt.get("const", 0) is None:
                node.nullable = True
                continue
            members.append(
                self.node(
                    node.segments,
                    (*node.trail, f"Option{index + 1}"),
                    alt,
                    addressable=False,
                    key=node.key,
                    depth=depth + 1,
                )
            )
        if all(m.kind == "scalar" for m in members):
            kinds: list[str] = []
            for m in members:
                for part in m.kcl_type.split(" | "):
                    if part not in kinds:
                        kinds.append(part)
            node.kcl_type = "any" if not kinds or "any" in kinds else " | ".join(kinds)
            return
        node.kind, node.members = "union", members

    def _object(self, node: ValueNode, schema: dict, value, depth: int) -> None:
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        extra_schema = _extra_schema(schema)
        values = value if isinstance(value, dict) else {}
        if not props and extra_schema is None and schema.get("additionalProperties") is not False:
            if values:  # `type: object` and nothing else: the shape of values.yaml
                inferred = infer(node.segments, values, self.comments, addressable=node.addressable)
                node.kind, node.open, node.children = "object", True, inferred.children
                for child in node.children.values():
                    child.trail = (*node.trail, child.key)
                    _retrail(child)
            else:
                node.kind = "map"
            return
        if not props and extra_schema is not None:
            node.kind = "map"
            node.extra = self._extra(node, extra_schema, depth)
            reorder(node.extra, next(iter(values.values()), None))
            return
        node.kind = "object"
        node.open = schema.get("additionalProperties") is True
        required = set(schema.get("required") or [])
        # values.yaml's key order first, then what only the schema lists.
        order = [k for k in values if k in props] + [k for k in props if k not in values]
        for k in order:
            child = self.node(
                (*node.segments, k) if node.addressable else node.segments,
                (*node.trail, k),
                props[k],
                values.get(k, MISSING),
                addressable=node.addressable,
                key=k,
                depth=depth + 1,
            )
            child.required = k in required
            node.children[k] = child
        if extra_schema is not None:
            node.extra = self._extra(node, extra_schema, depth)
            first = next((v for k, v in values.items() if k not in props), None)
            first = first if first is not None else next(iter(values.values()), None)
            reorder(node.extra, first)
        # Keys values.yaml holds that the schema does not list are values of the chart too.
        for k, v in values.items():
            if k not in node.children and node.extra is None and not node.open:
                child = infer(
                    (*node.segments, k) if node.addressable else node.segments,
                    v,
                    self.comments if node.addressable else {},
                    addressable=node.addressable,
                    trail=(*node.trail, k),
                    key=k,
                )
                node.children[k] = child

    def _extra(self, node: ValueNode, schema: dict, depth: int) -> ValueNode:
        extra = self.node(
            node.segments, (*node.trail, "Value"), schema, addressable=False, depth=depth + 1
        )
        extra.key = "*"
        return extra

    def _array(self, node: ValueNode, schema: dict, value, depth: int) -> None:
        node.kind = "array"
        items = schema.get("items")
        if isinstance(items, dict) and items:
            item = self.node(
                node.segments, (*node.trail, "Item"), items, addressable=False, depth=depth + 1
            )
            item.key = "[]"
            node.extra = item
            reorder(item, value[0] if isinstance(value, list) and value else None)
        elif isinstance(value, list) and value:
            inferred = infer(node.segments, value, {}, addressable=False, trail=node.trail)
            node.extra = inferred.extra

    def resolve(self, schema: dict, depth: int) -> dict:
        """`$ref` (local) resolved and `allOf` members merged into one schema."""
        for _ in range(16):
            ref = schema.get("$ref")
            if not isinstance(ref, str) or not ref.startswith("#"):
                break
            target = self._pointer(ref)
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        parts = schema.get("allOf")
        if isinstance(parts, list) and depth <= _MAX_DEPTH:
            merged = {k: v for k, v in schema.items() if k != "allOf"}
            for part in parts:
                if not isinstance(part, dict) or "if" in part:
                    continue
                part = self.resolve(part, depth + 1)
                for k, v in part.items():
                    if k == "properties" and isinstance(v, dict):
                        merged["properties"] = {**(merged.get("properties") or {}), **v}
                    elif k == "required" and isinstance(v, list):
                        merged["required"] = list(merged.get("required") or []) + v
                    else:
                        merged.setdefault(k, v)
            schema = merged
        return schema

    def _pointer(self, ref: str) -> dict:
        target: Any = self.root_schema
        for part in ref[1:].split("/"):
            if not part:
                continue
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, dict) else None
        return target if isinstance(target, dict) else {}


def reorder(node: ValueNode | None, value) -> None:
    """Put a map value's or a list item's fields in the order values.yaml writes an example."""
    if node is None or node.kind != "object" or not isinstance(value, dict):
        return
    keys = [k for k in value if k in node.children] + [k for k in node.children if k not in value]
    node.children = {k: node.children[k] for k in keys}
    for k, child in node.children.items():
        reorder(child, value.get(k))


def _retrail(node: ValueNode) -> None:
    for child in node.children.values():
        child.trail = (*node.trail, child.key)
        _retrail(child)


def _types(schema: dict) -> set[str]:
    t = schema.get("type")
    if isinstance(t, str):
        return {t}
    if isinstance(t, list):
        return {x for x in t if isinstance(x, str)}
    if "properties" in schema or "additionalProperties" in schema or "patternProperties" in schema:
        return {"object"}
    return set()


def _is_object(schema: dict, types: set[str]) -> bool:
    return types - {"null"} == {"object"}


def _extra_schema(schema: dict) -> dict | None:
    """The schema of keys not named in `properties`: additionalProperties or patternProperties."""
    extra = schema.get("additionalProperties")
    patterns = schema.get("patternProperties")
    found = []
    if isinstance(extra, dict) and extra:
        found.append(extra)
    if isinstance(patterns, dict):
        found += [p for p in patterns.values() if isinstance(p, dict)]
    if not found:
        if isinstance(extra, dict) or isinstance(patterns, dict) and patterns:
            return {}
        return None
    return found[0] if len(found) == 1 else {"oneOf": found}


def _number(value):
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def scalar_schema_type(schema: dict) -> tuple[str, list | None]:
    """The KCL type of a scalar JSON Schema (null members dropped: the attribute is then optional)."""
    if isinstance(schema.get("enum"), list):
        members = [e for e in schema["enum"] if e is not None]
        if members and all(isinstance(e, str | int | float | bool) for e in members):
            return " | ".join(dict.fromkeys(_literal_member(e) for e in members)), members
    if "const" in schema and isinstance(schema["const"], str | int | bool):
        return _literal_member(schema["const"]), [schema["const"]]
    types = [t for t in _types(schema) if t != "null"]
    kinds = [_SCALARS[t] for t in sorted(types) if t in _SCALARS]
    if not kinds or len(kinds) != len(types):
        return "any", None
    return " | ".join(kinds), None


def _literal_member(value) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
