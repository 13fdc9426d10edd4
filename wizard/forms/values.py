"""A field's value in the draft, and the inputs the draft stands for (`finalize`).

`finalize(form, data)`: the inputs to validate and commit — hidden fields, empty strings
and empty new list items dropped; what the render would use is filled in by
`input_schema.with_defaults` during validation, as for a git push.
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
        return {}
    if d.kind == "array":
        return []
    if d.kind == "checkbox":
        return False
    return ""


def value_of(d: FieldDef, data: Any, key: str) -> Any:
    value = get_value(data, key)
    return default_value(d) if value is MISSING else value


def finalize(form: WizardForm, data: dict, *, original: dict | None = None) -> dict:
    """The inputs to validate and write: hidden fields and empty values left out.

    `original` (an edit): keys that were not in inputs.yaml and still hold the schema's
    default stay out, so an edit writes only what a person chose.
    """
    return _finalize_object(form.root, data if isinstance(data, dict) else {}, original)


def _finalize_object(d: FieldDef, obj: dict, original: dict | None) -> dict:
    hidden = hidden_children(d, obj)
    out: dict = {}
    known = {c.name for c in d.children}
    edit = original is not None
    for c in d.children:
        if c.name in hidden or c.name not in obj:
            continue
        was_there = edit and c.name in original
        child_original = (original.get(c.name) if was_there else {}) if edit else None
        value = _finalize_value(c, obj[c.name], child_original)
        if value is MISSING:
            continue
        if (
            edit
            and not was_there
            and (value == {} or (c.default is not MISSING and value == c.default))
        ):
            continue  # an edit writes what a person chose, not every default on the page
        out[c.name] = value
    for k, v in obj.items():
        if k not in known:
            out[k] = v  # not an input of this package (a hand edit): validation says so
    return out


def _finalize_value(d: FieldDef, value: Any, original) -> Any:
    if value is None or (isinstance(value, str) and value == ""):
        return MISSING
    if d.kind == "object" and isinstance(value, dict):
        return _finalize_object(
            d, value, original if isinstance(original, dict) else None if original is None else {}
        )
    if d.kind == "array" and isinstance(value, list):
        out = []
        for item in value:
            v = _finalize_value(d.item, item, None)
            if v is MISSING or v == {}:
                continue
            out.append(v)
        return out
    return value
