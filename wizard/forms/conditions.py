"""Conditional fields: `if`/`then`/`else` (on an object or in its `allOf`) and `dependentRequired`.

A field named only by the branch not taken (its `properties` or `required`), or listed
under a `dependentRequired` key that is absent, is hidden: rendered as an empty
placeholder, left out of validation and of the inputs (`values.finalize`). The object's
values are read with its children's defaults, as the render would see them.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema

from installations.input_schema import MISSING, with_defaults
from wizard.forms.definitions import FieldDef


@functools.lru_cache(maxsize=512)
def _validator(text: str):
    return jsonschema.Draft202012Validator(json.loads(text))


def _holds(if_schema: dict, values: dict) -> bool:
    return _validator(json.dumps(if_schema, sort_keys=True)).is_valid(values)


def satisfies(schema: dict, value: Any) -> bool:
    """`value` (its defaults merged in, as validation does) is valid for `schema`."""
    return _holds(schema, with_defaults(schema, value))


def hidden_children(d: FieldDef, obj: Any) -> set[str]:
    """Names of `d`'s children whose condition is false for the object's values `obj`."""
    if not d.conditions and not d.dependent:
        return set()
    values = _with_child_defaults(d, obj if isinstance(obj, dict) else {})
    hidden: set[str] = set()
    shown: set[str] = set()
    for if_schema, then, other in d.conditions:
        taken, not_taken = (then, other) if _holds(if_schema, values) else (other, then)
        hidden |= not_taken
        shown |= taken
    for key, names in d.dependent.items():
        if key not in values:
            hidden |= set(names)
    return hidden - shown


def required_children(d: FieldDef, obj: Any) -> set[str]:
    """Names of `d`'s children required right now by a condition that holds."""
    if not d.conditions and not d.dependent:
        return set()
    values = _with_child_defaults(d, obj if isinstance(obj, dict) else {})
    out: set[str] = set()
    for b in [d.schema, *[x for x in d.schema.get("allOf") or [] if isinstance(x, dict)]]:
        if isinstance(b.get("if"), dict):
            branch = b.get("then" if _holds(b["if"], values) else "else") or {}
            out |= set(branch.get("required") or [])
    for key, names in d.dependent.items():
        if key in values:
            out |= set(names)
    return out


def _with_child_defaults(d: FieldDef, obj: dict) -> dict:
    out = {k: v for k, v in obj.items() if v != "" and v is not None}
    for c in d.children:
        if c.name not in out and c.default is not MISSING:
            out[c.name] = c.default
    return out
