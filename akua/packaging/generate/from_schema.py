"""Value nodes from a chart's values.schema.json, values.yaml's defaults and comments merged in.

Local `$ref`s are followed and `allOf` merged; `oneOf`/`anyOf` become unions (of scalars:
one KCL type); `properties` are named children in values.yaml's key order, then the ones
only the schema lists; `additionalProperties`/`patternProperties` the shape of other keys;
`items` the shape of a list's items. A schema `default` is kept aside (`schema_default`):
Helm ignores it.
"""

from __future__ import annotations

import json
from typing import Any

from akua.packaging import paths
from akua.packaging.generate.node import MISSING, ValueNode
from akua.packaging.generate.shapes import absorb, infer, reorder, retrail

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_MAX_DEPTH = 24  # schema nesting followed (`$ref` cycles end here)


class SchemaBuilder:
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
        if extra_schema is None and "additionalProperties" not in schema:
            extra_schema = self._entries_shape(props, depth)
        values = value if isinstance(value, dict) else {}
        if not props and extra_schema is None and schema.get("additionalProperties") is not False:
            if values:  # `type: object` and nothing else: the shape of values.yaml
                inferred = infer(node.segments, values, self.comments, addressable=node.addressable)
                node.kind, node.open, node.children = "object", True, inferred.children
                for child in node.children.values():
                    child.trail = (*node.trail, child.key)
                    retrail(child)
            else:
                node.kind = "map"
            return
        if not props and extra_schema is not None:
            node.kind = "map"
            node.extra = self._extra(node, extra_schema, depth)
            reorder(node.extra, next(iter(values.values()), None))
            return
        node.kind = "object"
        node.open = schema.get("additionalProperties") is not False  # JSON Schema: open
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
            if k not in node.children and node.extra is None:
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

    def _entries_shape(self, props: dict, depth: int) -> dict | None:
        """The shape an open object's named entries share, for the entries a person adds.

        A proxy chart's `ports: {web: {port, expose, …}, websecure: {port, expose, tls, …}}`
        lists its entry points as properties; Helm takes any other (`ports.udp`). When there
        are two or more entries, every one an object, sharing at least two fields that make
        up at least half of the smallest entry, another key is an entry of those fields (a
        map with named entries, edited as rows). `resources` style pairs qualify too;
        `logs: {general: {level, format}, access: {…}}` does not.
        """
        if len(props) < 2:
            return None
        entries = [self.resolve(p if isinstance(p, dict) else {}, depth) for p in props.values()]
        fields = []
        for entry in entries:
            named = entry.get("properties")
            if not _is_object(entry, _types(entry)) or not isinstance(named, dict) or not named:
                return None
            fields.append(named)
        common = [k for k in fields[0] if all(k in f for f in fields[1:])]
        if len(common) < 2 or 2 * len(common) < min(len(f) for f in fields):
            return None
        return {"type": "object", "properties": {k: fields[0][k] for k in common}}

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
