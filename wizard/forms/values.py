"""A field's value in the draft, and the inputs the draft stands for (`finalize`).

The draft holds what the page shows (a step posted back holds every value on it, defaults
included). `finalize(form, data)` is what inputs.yaml gets: only what a person or the
vendor set. Left out are hidden fields, empty strings and nulls, and every value equal to
a default the package fills in by itself:

- an object's field whose schema has a default (KCL fills it, and a generated chart
  package's defaults are values.yaml's, which Helm merges in): left out when equal;
- an object left with nothing set, when it has a default of its own: left out;
- a map's named entries (`ports.web`, attributes with defaults of their own) like an
  object's fields; its other rows written whole;
- a list, a map, a choice: written whole when it differs from its default (Helm replaces
  lists; KCL replaces a `{str: T}` map), left out when equal.

An edit keeps what inputs.yaml already held (`original`), even when it equals a default:
the person wrote it there. What the render uses is filled in by `input_schema.with_defaults`
during validation, as for a git push.
"""

from __future__ import annotations

import copy
from typing import Any

from installations.input_schema import MISSING, get_value
from wizard.forms.conditions import hidden_children
from wizard.forms.definitions import FieldDef, WizardForm


def default_value(d: FieldDef) -> Any:
    if d.default is not MISSING:
        return copy.deepcopy(d.default)
    if d.kind in ("object", "map"):
        # a new object (a list item, a chosen shape) starts from its fields' defaults
        return {c.name: copy.deepcopy(c.default) for c in d.children if c.default is not MISSING}
    if d.kind == "array":
        return []
    if d.kind == "checkbox":
        return None  # unchecked and not set: a person's "no" is False
    if d.kind == "choice" and d.members:
        return default_value(d.members[0])
    return ""


def value_of(d: FieldDef, data: Any, key: str) -> Any:
    value = get_value(data, key)
    return default_value(d) if value is MISSING else value


def finalize(form: WizardForm, data: dict, *, original: dict | None = None) -> dict:
    """The inputs to validate and write: what a person or the vendor set (module docstring).

    `original` (an edit): inputs.yaml at the draft's base; what it holds stays.
    """
    out = _object(form.root, data if isinstance(data, dict) else {}, original)
    return out if isinstance(out, dict) else {}


def _object(d: FieldDef, obj: dict, original: Any) -> dict:
    hidden = hidden_children(d, obj)
    out: dict = {}
    known = {c.name for c in d.children}
    for c in d.children:
        if c.name in hidden or c.name not in obj:
            continue
        was = original.get(c.name, MISSING) if isinstance(original, dict) else MISSING
        value = _child(c, obj[c.name], was)
        if value is not MISSING:
            out[c.name] = value
    for k, v in obj.items():
        if k not in known and v is not None:
            out[k] = v  # not an input of this package (a hand edit): validation says so
    return out


def _child(d: FieldDef, value: Any, original: Any) -> Any:
    """A field's value to write, or MISSING (the package's default does the same)."""
    if value is None or (isinstance(value, str) and value == ""):
        return MISSING
    kept = original is not MISSING  # inputs.yaml held it: the person wrote it there
    if d.default is not MISSING and normal(value) == normal(d.default) and not kept:
        return MISSING
    if d.kind == "object" and isinstance(value, dict):
        out = _object(d, value, original)
        if out or kept:
            return out
        return MISSING if d.default is not MISSING or not d.in_required else out
    if d.kind == "map" and d.children and isinstance(value, dict):
        # Named entries are attributes with defaults of their own (`ports.web`): like an
        # object's fields, written when they differ; other rows are written whole.
        out = _object(d, {k: v for k, v in value.items() if d.child(str(k))}, original)
        out |= {k: clean(d.item, v) for k, v in value.items() if d.child(str(k)) is None}
        if out or kept:
            return out
        return MISSING if d.default is not MISSING or not d.in_required else out
    return clean(d, value)


def normal(value: Any) -> Any:
    """A value as the package reads it: nulls and empty strings are not set, and neither is
    a mapping left with nothing set (so a default holding `hostPort: null` equals what the
    page posts back for it)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = normal(v)
            if v is None or v == "" or v == {}:
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [normal(v) for v in value]
    return value


def clean(d: FieldDef | None, value: Any) -> Any:
    """A whole value (a list, a map, a chosen shape) without its empty strings and nulls."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if v is None or (isinstance(v, str) and v == ""):
                continue
            out[k] = clean(_inner(d, k), v)
        return out
    if isinstance(value, list):
        item = d.item if d is not None and d.kind == "array" else None
        out = []
        for v in value:
            if v is None or (isinstance(v, str) and v == ""):
                continue
            v = clean(item, v)
            if v == {}:
                continue  # an item added and left empty
            out.append(v)
        return out
    return value


def _inner(d: FieldDef | None, key: str) -> FieldDef | None:
    if d is None:
        return None
    if d.kind in ("object", "map"):
        return d.child(key) or d.item
    return None


def chosen(d: FieldDef, value: Any) -> int:
    """Which member of a choice `value` is: the first whose schema it satisfies (defaults
    merged first), else the first of its JSON type, else 0."""
    from wizard.forms.conditions import satisfies

    if isinstance(value, dict) and value:  # a shape that names every key beats a free map
        for i, m in enumerate(d.members):
            names = {c.name for c in m.children}
            if names and set(value) <= names and satisfies(m.schema, value):
                return i
    for i, m in enumerate(d.members):
        if satisfies(m.schema, value):
            return i
    for i, m in enumerate(d.members):
        if _same_type(m, value):
            return i
    return 0


def _same_type(m: FieldDef, value: Any) -> bool:
    if isinstance(value, dict):
        return m.kind in ("object", "map")
    if isinstance(value, list):
        return m.kind == "array"
    return m.is_scalar


def row_order(d: FieldDef, rows: dict) -> dict:
    """A map's rows in one order whatever stored them (PostgreSQL's jsonb sorts keys): the
    entries the schema names, in its order; then the keys of the map's default, in
    values.yaml's order; then the others by key. A mapping's order means nothing to Helm
    or KCL, so rows are not moved by hand."""
    default = d.default if isinstance(d.default, dict) else {}
    ranked = {c.name: i for i, c in enumerate(d.children)}
    for i, k in enumerate(default):
        ranked.setdefault(str(k), len(d.children) + i)
    last = len(ranked)
    return dict(sorted(rows.items(), key=lambda kv: (ranked.get(str(kv[0]), last), str(kv[0]))))
