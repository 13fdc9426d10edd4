"""What an input schema says about one input: its schema, kind, label, default, sensitivity.

The JSON Schema a package version exports (`PackageVersion.input_schema`, with Akua's
`x-ui` hints) is read here and nowhere else. The kinds are the editing widgets of the
wizard (docs/wizard.md), because every form that asks for an input is the wizard's:

text, textarea, password, integer, number, slider, checkbox, select, radio, union (a
`oneOf` of scalars: typed text read as the first type it parses as), choice (a `oneOf` of
objects or other shapes: a choice, then the chosen member's fields), object (a fieldset),
array (items of any kind), map (`{str: T}`, and an object whose `properties` name some
entries while `additionalProperties` gives the shape of any other key), yaml (anything
else, typed as YAML).
"""

from __future__ import annotations

import json
from typing import Any

from installations.input_schema.paths import MISSING, Path, Segment, join, segments

RADIO_MAX = 4  # enums with at most this many choices are radio buttons
SCALAR_KINDS = ("text", "textarea", "password", "integer", "number", "slider", "checkbox")


def ui(prop: Any) -> dict:
    """The `x-ui` hints of a property ({} when it has none)."""
    hints = prop.get("x-ui") if isinstance(prop, dict) else None
    return hints if isinstance(hints, dict) else {}


def types(prop: dict) -> list[str]:
    """The JSON types a property allows, "null" left out."""
    t = prop.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [x for x in t if x != "null"]
    return []


def scalar_types(prop: dict) -> list[str] | None:
    """The scalar types a `oneOf`/`anyOf` of scalars accepts, else None."""
    members = prop.get("oneOf") or prop.get("anyOf")
    if not members:
        return None
    out: list[str] = []
    for m in members:
        if not isinstance(m, dict):
            return None
        if "enum" in m or "const" in m:
            out.append("string")
            continue
        if m.get("type") == "null":
            continue
        ts = types(m)
        if not ts or any(t not in ("string", "integer", "number", "boolean") for t in ts):
            return None
        out += ts
    return out or None


def choices(prop: dict) -> list[Any]:
    """The values an enum (or const) allows, None left out."""
    return [v for v in prop.get("enum", [prop.get("const")]) if v is not None]


def kind(prop: dict) -> str:
    """How the input is edited (see the module docstring)."""
    hints = ui(prop)
    if "enum" in prop or "const" in prop:
        if hints.get("widget") == "select":
            return "select"
        if hints.get("widget") == "radio" or len(choices(prop)) <= RADIO_MAX:
            return "radio"
        return "select"
    if scalar_types(prop):
        return "union"
    if members(prop):
        return "choice"
    ts = types(prop)
    t = ts[0] if len(ts) == 1 else None
    if t == "string":
        if is_sensitive(prop):
            return "password"
        if hints.get("widget") == "textarea" or prop.get("contentMediaType"):
            return "textarea"
        return "text"
    if t in ("integer", "number"):
        if hints.get("widget") == "slider" and None not in (minimum(prop), maximum(prop)):
            return "slider"
        return t
    if t == "boolean":
        return "checkbox"
    if t == "object":
        extra = prop.get("additionalProperties")
        if prop.get("properties"):
            # Named entries and a shape for any other key (`ports: {web: {...}}`): a map.
            return "map" if isinstance(extra, dict) else "object"
        if isinstance(extra, dict) or extra is True or extra is None:
            return "map"
        return "yaml"
    if t == "array" and isinstance(prop.get("items"), dict):
        return "array"
    return "yaml"


def members(prop: dict) -> list[dict]:
    """The members of a `oneOf`/`anyOf` that is not a union of scalars (a choice, then the
    chosen member's fields); [] for anything else."""
    found = prop.get("oneOf") or prop.get("anyOf")
    if not isinstance(found, list) or scalar_types(prop):
        return []
    out = [m for m in found if isinstance(m, dict) and m.get("type") != "null"]
    return (
        out
        if len(out)
        == len([m for m in found if not (isinstance(m, dict) and m.get("type") == "null")])
        and out
        else []
    )


def minimum(prop: dict) -> Any:
    return prop.get("minimum", ui(prop).get("min"))


def maximum(prop: dict) -> Any:
    return prop.get("maximum", ui(prop).get("max"))


def default(prop: Any) -> Any:
    """The property's own default, or MISSING."""
    return prop.get("default", MISSING) if isinstance(prop, dict) else MISSING


def order(prop: dict) -> float:
    value = ui(prop).get("order")
    return value if isinstance(value, int | float) and not isinstance(value, bool) else float("inf")


def sentence_case(name: str) -> str:
    """`replicaCount` / `replica_count` -> `Replica count`."""
    words: list[str] = []
    current = ""
    for char in str(name).replace("_", " ").replace("-", " ").replace(".", " "):
        if char == " ":
            if current:
                words.append(current)
            current = ""
        elif char.isupper() and current and not current[-1].isupper():
            words.append(current)
            current = char
        else:
            current += char
    if current:
        words.append(current)
    text = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return text[:1].upper() + text[1:]


def label(name: str, prop: dict) -> str:
    """`x-ui.label`, else `title` (not for objects and maps: KCL puts a schema name there), else
    the name sentence-cased."""
    hints = ui(prop)
    title = prop.get("title") if kind(prop) not in ("object", "map") else ""
    return str(hints.get("label") or title or sentence_case(name))


def display(value: Any) -> str:
    """An enum value as a choice's text."""
    return value if isinstance(value, str) else json.dumps(value)


# -- sensitivity ----------------------------------------------------------------------


def is_sensitive(prop: Any) -> bool:
    """`x-ui.sensitive`, `writeOnly` or `x-ui.widget: password`: stored encrypted, never in git."""
    if not isinstance(prop, dict):
        return False
    hints = ui(prop)
    return bool(
        hints.get("sensitive") or prop.get("writeOnly") or hints.get("widget") == "password"
    )


# -- walking the schema ---------------------------------------------------------------


def child_schema(schema: Any, segment: Segment) -> Any:
    """The schema of `segment` inside `schema` (an item, a property, a map value), or None."""
    if not isinstance(schema, dict):
        return None
    if isinstance(segment, int):
        items = schema.get("items")
        if isinstance(items, dict):
            return items
        segment = str(segment)  # a mapping key spelled with digits (an old path)
    props = schema.get("properties") or {}
    if segment in props:
        return props[segment]
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def schema_at(schema: dict, path: Path) -> Any:
    """The schema of the input at `path`, or None when the schema does not describe it."""
    node: Any = schema
    for segment in segments(path):
        node = child_schema(node, segment)
        if node is None:
            return None
    return node


def is_sensitive_path(schema: dict, path: Path) -> bool:
    return is_sensitive(schema_at(schema, path))


def sensitive_values(schema: dict, inputs: Any) -> list[tuple[str, str]]:
    """(path, value) of every sensitive input that has a non-empty string value."""
    out: list[tuple[str, str]] = []

    def walk(node_schema: Any, value: Any, path: str) -> None:
        if path and is_sensitive(node_schema):
            if isinstance(value, str) and value != "":
                out.append((path, value))
            return
        if isinstance(value, dict):
            pairs = [(str(k), v) for k, v in value.items()]
        elif isinstance(value, list):
            pairs = list(enumerate(value))
        else:
            return
        for segment, child_value in pairs:
            child = child_schema(node_schema, segment)
            if child is not None:
                walk(child, child_value, join(path, segment))

    walk(schema, inputs, "")
    return out


def required_fields(schema: dict, path: str) -> list[str]:
    """A required input that has no value, as the fields to ask for: itself, or (an object
    with properties) the required inputs inside it that have no default (`db` -> `db.host`)."""
    spec = schema_at(schema, path) or {}
    props = spec.get("properties") or {}
    if not props:
        return [path]
    out: list[str] = []
    for name in spec.get("required") or []:
        child = props.get(name)
        if isinstance(child, dict) and "default" not in child:
            out += required_fields(schema, join(path, name))
    return out or [path]
