"""The property paths a JSON Schema describes, through maps, lists, unions and `$ref`s.

`ports.web.port` for a named property, `ports.*.port` under `additionalProperties` or
`patternProperties`, `volumes.[].name` under `items`. Used to check that an exported
Input schema exposes every property of a chart's values.schema.json.
"""

from __future__ import annotations

from akua.packaging import paths


def property_paths(schema: dict) -> set[str]:
    out: set[str] = set()
    _walk(schema, schema, (), out, 0)
    return out


def _walk(root: dict, node, at: tuple, out: set[str], depth: int) -> None:
    if not isinstance(node, dict) or depth > 40:
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target = root
        for part in ref[2:].split("/"):
            target = target.get(part, {})
        _walk(root, target, at, out, depth + 1)
    for key in ("oneOf", "anyOf", "allOf"):
        for member in node.get(key) or []:
            _walk(root, member, at, out, depth + 1)
    for name, sub in (node.get("properties") or {}).items():
        path = (*at, name)
        out.add(_text(path))
        _walk(root, sub, path, out, depth + 1)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        _walk(root, extra, (*at, "*"), out, depth + 1)
    for sub in (node.get("patternProperties") or {}).values():
        _walk(root, sub, (*at, "*"), out, depth + 1)
    if isinstance(node.get("items"), dict):
        _walk(root, node["items"], (*at, "[]"), out, depth + 1)


def _text(path: tuple) -> str:
    return ".".join(p if p in ("*", "[]") else paths.format_segment(p) for p in path)
