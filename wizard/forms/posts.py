"""Reading a POST of the wizard's fields into the draft, and the array and map edits.

HTML names are `f.<key>`. A field is read only when its key is listed in `_fields` (the
fields that were on the page and enabled), so a hidden (condition false), locked or
never-shown field keeps its value. Lists, maps and choices are read whole, with what is
inside them: a list posts its items' indices in `i.<key>` in page order (that order is the
list), a map its rows' keys as rendered in `i.<key>` (the order of the rows) and the key
typed for each row in `k.<row>`, a choice the member chosen in `c.<key>`; `e.<key>` says a
list or map was on the page with nothing in it. Typed text becomes a value with
`input_schema.coerce`, the conversion every door uses.
"""

from __future__ import annotations

import copy
from typing import Any

from django.http import QueryDict

from installations import input_schema
from installations.input_schema import MISSING, is_within, join, set_value
from wizard import secrets as secret_store
from wizard.forms.definitions import FieldDef, WizardForm
from wizard.forms.values import chosen, default_value, row_order, value_of


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


NUL_REMOVED = "The character U+0000 (NUL) cannot be kept in a value; it was removed."


def without_nul(post, result: ParseResult | None = None):
    """The POST without the character NUL in any name or value (PostgreSQL cannot store it:
    the draft's save would fail, a 500); each field that had one gets a message."""
    if not any("\x00" in n or any("\x00" in v for v in vs) for n, vs in post.lists()):
        return post
    clean = QueryDict(mutable=True)
    for name, values in post.lists():
        clean.setlist(name.replace("\x00", ""), [v.replace("\x00", "") for v in values])
        prefix, _, key = name.partition(".")
        if result is not None and prefix in ("f", "k") and any("\x00" in v for v in values):
            result.errors.setdefault(key.replace("\x00", ""), []).append(NUL_REMOVED)
    return clean


def parse_post(
    form: WizardForm, post, data: dict, *, locked: set[str] = frozenset()
) -> ParseResult:
    """Update `data` in place with the fields listed in `_fields` of the POST."""
    result = ParseResult()
    post = without_nul(post, result)
    for key in posted_keys(post):
        if not key or is_locked(key, locked):
            continue
        d = form.definition(key)
        if d is None or d.kind == "object":
            continue
        value = _read(d, key, post, result, value_of(d, data, key))
        if value is MISSING and d.kind in ("array", "map"):
            value = [] if d.kind == "array" else {}  # listed, and nothing in it any more
        if value is MISSING:
            continue
        try:
            set_value(data, key, value)
        except input_schema.PathError:
            continue  # an item that is not there any more
    return result


def _read(d: FieldDef, key: str, post, result: ParseResult, previous: Any) -> Any:
    """The value of field `key` in the POST; MISSING when it says nothing (keep `previous`,
    the value the page showed: the draft's, else the default).

    Lists post their items' indices as rendered (`i.<key>`), maps their rows' keys as
    rendered (`i.<key>`) with the key typed for each (`k.<row>`), a choice the member chosen
    (`c.<key>`); what is inside is read with the same function.
    """
    value = _read_value(d, key, post, result, previous)
    unset = previous is MISSING or previous is None
    if unset and (value == {} or value == [] or value is False or value == ""):
        return previous  # shown empty, posted empty: still not set (no value is invented)
    return value


def _read_value(d: FieldDef, key: str, post, result: ParseResult, previous: Any) -> Any:
    name = "f." + key
    if d.kind == "checkbox":
        return name in post
    if d.kind == "object":
        before = previous if isinstance(previous, dict) else {}
        out = dict(before)
        for c in d.children:
            value = _read(c, join(key, c.name), post, result, before.get(c.name, MISSING))
            if value is not MISSING:
                out[c.name] = value
        return out
    if d.kind == "array":
        if ("i." + key) not in post and ("e." + key) not in post:
            return MISSING
        before = previous if isinstance(previous, list) else []
        items = []
        for index in post.getlist("i." + key):
            if not index.isdigit():
                continue
            i = int(index)
            shown = before[i] if i < len(before) else default_value(d.item)
            value = _read(d.item, join(key, i), post, result, shown)
            items.append(shown if value is MISSING else value)
        return items
    if d.kind == "map":
        return _read_map(d, key, post, result, previous)
    if d.kind == "choice":
        return _read_choice(d, key, post, result, previous)
    if name not in post:
        return MISSING
    raw = post.get(name, "").replace("\r\n", "\n")
    if d.kind == "password":
        if raw == "":
            return MISSING  # empty: keep what is set
        result.secrets[key] = raw
        return secret_store.marker(raw)
    kind = "yaml" if ("y." + key) in post else d.kind  # a free-form value holding YAML
    try:
        return input_schema.coerce(d.schema, raw, kind)
    except input_schema.YAMLTextError as exc:
        result.errors[key] = [str(exc)]
        return raw


def _read_map(d: FieldDef, key: str, post, result: ParseResult, previous: Any) -> Any:
    if ("i." + key) not in post and ("e." + key) not in post:
        return MISSING
    before = previous if isinstance(previous, dict) else {}
    out: dict = {}
    problems: list[str] = []
    for old in post.getlist("i." + key):
        row = join(key, old)
        typed = post.get("k." + row)
        new = old if typed is None or d.child(old) is not None else typed.strip()
        if not new:
            problems.append(f"A key cannot be empty; “{old}” was kept.")
            new = old
        if new in out:
            problems.append(f"Two rows have the key “{new}”; the second keeps “{old}”.")
            new = old
            if new in out:
                continue
        value_def = d.child(old) or d.item
        shown = before.get(old, default_value(value_def))
        value = _read(value_def, row, post, result, shown)
        out[new] = shown if value is MISSING else value
    if problems:
        result.errors[key] = problems
    return out


def _read_choice(d: FieldDef, key: str, post, result: ParseResult, previous: Any) -> Any:
    was = chosen(d, previous)
    picked = post.get("c." + key, "")
    index = int(picked) if picked.isdigit() and int(picked) < len(d.members) else was
    member = d.members[index] if d.members else None
    if member is None:
        return MISSING
    if index != was:
        return default_value(member)  # another shape: its fields start from its defaults
    return _read(member, key, post, result, previous)


# -- array and map edits -----------------------------------------------------------------


def new_row(d: FieldDef) -> Any:
    """A new row of a map: shaped like the map's first named entry when it has one (a
    chart's `ports.web`: the keys its templates read), its numbers left to be typed (a
    copied port would clash); else the value schema's defaults."""
    for named in d.children:
        if isinstance(named.default, dict):
            return _blank_numbers(copy.deepcopy(named.default))
    return default_value(d.item)


def _blank_numbers(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _blank_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank_numbers(v) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None
    return value


def apply_op(form: WizardForm, data: dict, op: str, *, locked: set[str] = frozenset()) -> str:
    """`add:<list or map>`, `remove:<item or row>`, `up:<item>`, `down:<item>` (a map's
    rows are named by their position in `row_order` and are not moved: a mapping has no
    order); returns the list's or map's key ("" when the op names nothing to edit)."""
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
    if d is None or d.kind not in ("array", "map"):
        return ""
    current = value_of(d, data, array_key)
    if d.kind == "map":  # a row is named by its position (its key may have been retyped)
        if index is not None and not isinstance(index, int):
            return ""
        rows = list(row_order(d, current if isinstance(current, dict) else {}).items())
        keys = [str(k) for k, _ in rows]
        if verb == "add":
            n = 1
            while f"key{n}" in keys:
                n += 1
            rows.append((f"key{n}", new_row(d)))
        elif 0 <= index < len(rows):
            i = index
            if verb == "remove" and d.child(keys[i]) is None:  # named entries stay
                rows.pop(i)
        set_value(data, array_key, dict(rows))
        return array_key
    if index is not None and not isinstance(index, int):
        return ""
    items = list(current) if isinstance(current, list) else []
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
