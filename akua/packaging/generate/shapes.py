"""A value's shape without a schema (inferred from the value), and widening a shape to fit a value.

values.yaml is what a release gets, so every default it holds must be a value of the
generated Input: `absorb` widens a node (a key the schema does not list, a number where it
says string, a structure where it says scalar) until `fits` says KCL accepts the default.
"""

from __future__ import annotations

import copy

from akua.packaging import paths
from akua.packaging.generate.node import ValueNode


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


def reorder(node: ValueNode | None, value) -> None:
    """Put a map value's or a list item's fields in the order values.yaml writes an example."""
    if node is None or node.kind != "object" or not isinstance(value, dict):
        return
    keys = [k for k in value if k in node.children] + [k for k in node.children if k not in value]
    node.children = {k: node.children[k] for k in keys}
    for k, child in node.children.items():
        reorder(child, value.get(k))


def retrail(node: ValueNode) -> None:
    for child in node.children.values():
        child.trail = (*node.trail, child.key)
        retrail(child)
