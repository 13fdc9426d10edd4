"""Typed text -> the input's value, by kind (`schema.kind`).

Text that does not convert stays text: validation (`validation.input_errors`) then says
why ("Enter an integer."), and the form shows what was typed. Only YAML text that does
not parse raises (YAMLTextError, naming the line): there is no value to keep.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from akua.packaging import yamlio
from installations.input_schema.schema import kind as kind_of
from installations.input_schema.schema import scalar_types, types

_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


class YAMLTextError(ValueError):
    """Text typed in a YAML field that does not parse; the message names the line."""


def coerce(prop: dict, raw: str, kind: str | None = None) -> Any:
    """The value of `raw` typed for an input with schema `prop` (edited as `kind`)."""
    kind = kind or kind_of(prop)
    if kind in ("select", "radio"):
        if raw == "":
            return ""
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    if kind in ("integer", "slider", "number"):
        text = raw.strip()
        if text == "":
            return ""
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            number = float(text)
            return int(number) if number.is_integer() and kind != "number" else number
        return raw
    if kind == "checkbox":
        return raw not in ("", "false", "off", "0")
    if kind in ("text", "textarea", "password"):
        return raw.replace("\r\n", "\n")
    if kind == "union":
        allowed = scalar_types(prop) or types(prop) or ["string", "integer", "number", "boolean"]
        text = raw.strip()
        if "integer" in allowed and _INT.match(text):
            return int(text)
        if "number" in allowed and _FLOAT.match(text):
            return float(text)
        if "boolean" in allowed and text in ("true", "false"):
            return text == "true"
        return raw
    if kind == "yaml":
        return parse_yaml(raw)
    return raw


def parse_yaml(raw: str) -> Any:
    """A YAML field's text as its value ("" when blank); YAMLTextError with the line."""
    if not raw.strip():
        return ""
    try:
        value = yaml.safe_load(raw)  # the pure parser: its line numbers read as typed
        yamlio.check_bounds(value)
        return value
    except RecursionError:
        raise YAMLTextError(f"This is not accepted: {yamlio.nesting_error()}.") from None
    except yamlio.YAMLBoundsError as exc:
        raise YAMLTextError(f"This is not accepted: {exc}.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise YAMLTextError(f"This is not valid YAML{where}.") from None
