"""Reading a POST of the wizard's fields into the draft, and the array and map edits.

HTML names are `f.<key>`. A field is read only when its key is listed in `_fields` (the
fields that were on the page and enabled), so a hidden (condition false), locked or
never-shown field keeps its value; arrays list their item indices in `i.<key>` in page
order, so the order of the posted items is the order of the list. Typed text becomes a
value with `input_schema.coerce`, the conversion every door uses.
"""

from __future__ import annotations

from typing import Any

from installations import input_schema
from installations.input_schema import MISSING, get_value, is_within, join, set_value
from wizard import secrets as secret_store
from wizard.forms.definitions import FieldDef, WizardForm
from wizard.forms.values import default_value, value_of


class ParseResult:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}  # conversion errors ("not valid YAML")
        self.secrets: dict[str, str] = {}  # key -> plain value typed in a password field


def is_locked(key: str, locked: set[str]) -> bool:
    return any(is_within(key, lk) for lk in locked)


def posted_keys(post, name: str = "_fields") -> list[str]:
    """The canonical keys listed under `name`; malformed ones are left out."""
    out = []
    for key in dict.fromkeys(post.getlist(name)):
        try:
            out.append(input_schema.canonical(key))
        except input_schema.PathError:
            continue
    return out


def parse_post(
    form: WizardForm, post, data: dict, *, locked: set[str] = frozenset()
) -> ParseResult:
    """Update `data` in place with the fields listed in `_fields` of the POST."""
    result = ParseResult()
    for key in posted_keys(post):
        if not key or is_locked(key, locked):
            continue
        d = form.definition(key)
        if d is None or d.kind == "object":
            continue
        value = _read(d, key, post, result, data)
        if value is MISSING:
            continue
        try:
            set_value(data, key, value)
        except input_schema.PathError:
            continue  # an item that is not there any more
    return result


def _read(d: FieldDef, key: str, post, result: ParseResult, data: dict) -> Any:
    """The value of field `key` in the POST; MISSING when it says nothing (keep the old one).

    Inside lists, `key` carries the item's index as it was rendered, so `data` at `key` is
    the item's previous value (a password left empty keeps it).
    """
    name = "f." + key
    if d.kind == "checkbox":
        return name in post
    if d.kind == "object":
        previous = get_value(data, key)
        out = {}
        for c in d.children:
            value = _read(c, join(key, c.name), post, result, data)
            if value is MISSING and isinstance(previous, dict) and c.name in previous:
                value = previous[c.name]
            if value is not MISSING:
                out[c.name] = value
        return out
    if d.kind == "array":
        items = []
        for index in post.getlist("i." + key):
            if not index.isdigit():
                continue
            item_key = join(key, int(index))
            value = _read(d.item, item_key, post, result, data)
            if value is MISSING:
                previous = get_value(data, item_key)
                value = default_value(d.item) if previous is MISSING else previous
            items.append(value)
        return items
    if d.kind == "map":
        out = {}
        for index in post.getlist("i." + key):
            k = post.get(f"f.{key}.{index}.key", "").strip()
            if not k:
                continue
            out[k] = input_schema.coerce(
                d.item.schema, post.get(f"f.{key}.{index}.value", ""), d.item.kind
            )
        return out
    if name not in post:
        return MISSING
    raw = post.get(name, "").replace("\r\n", "\n")
    if d.kind == "password":
        if raw == "":
            return MISSING  # empty: keep what is set
        result.secrets[key] = raw
        return secret_store.marker(raw)
    try:
        return input_schema.coerce(d.schema, raw, d.kind)
    except input_schema.YAMLTextError as exc:
        result.errors[key] = [str(exc)]
        return raw


# -- array and map edits -----------------------------------------------------------------


def apply_op(form: WizardForm, data: dict, op: str, *, locked: set[str] = frozenset()) -> str:
    """`add:<array>`, `remove:<item>`, `up:<item>`, `down:<item>`; returns the array's key
    ("" when the op names nothing that can be edited)."""
    verb, _, key = op.partition(":")
    try:
        key = input_schema.canonical(key)
        array_key, index = (key, None) if verb == "add" else input_schema.parent(key)
    except input_schema.PathError:
        return ""
    if verb not in ("add", "remove", "up", "down") or not array_key:
        return ""
    if is_locked(array_key, locked):
        return array_key
    d = form.definition(array_key)
    if (
        d is None
        or d.kind not in ("array", "map")
        or (index is not None and not isinstance(index, int))
    ):
        return ""
    if d.kind == "map":
        current = get_value(data, array_key)
        current = dict(current) if isinstance(current, dict) else {}
        if verb == "add":
            n = 1
            while f"key{n}" in current:
                n += 1
            current[f"key{n}"] = ""
        elif verb == "remove":
            keys = list(current)
            if index < len(keys):
                current.pop(keys[index])
        set_value(data, array_key, current)
        return array_key
    items = get_value(data, array_key)
    items = list(items) if isinstance(items, list) else list(value_of(d, data, array_key) or [])
    if verb == "add":
        items.append(default_value(d.item))
    elif 0 <= index < len(items):
        if verb == "remove":
            items.pop(index)
        elif verb == "up" and index > 0:
            items[index - 1], items[index] = items[index], items[index - 1]
        elif verb == "down" and index < len(items) - 1:
            items[index + 1], items[index] = items[index], items[index + 1]
    set_value(data, array_key, items)
    return array_key
