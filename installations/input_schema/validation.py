"""Inputs checked against the schema: one message per field, in a person's words.

Every door validates here (the wizard and its one-page mode, the YAML view, a git push,
change requests, upgrades, commands), so a value is refused with the same message
wherever it is typed. Field keys are canonical paths (`config."grafana.ini".port`).

The schema's defaults are merged in first (`with_defaults`): KCL gives an attribute its
default when the inputs leave it out, though the exported schema lists it as required, so
a required input left at its default is not missing — also inside list items and map
values.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
from django.core.exceptions import ValidationError

from installations.input_schema.paths import format_path
from installations.input_schema.schema import types

ALL = "__all__"  # errors about no field in particular (Django's NON_FIELD_ERRORS)
REQUIRED = "This field is required."


def validate_inputs(schema: dict, inputs: Any) -> None:
    """Raise Django's ValidationError with one message list per field path."""
    errors = input_errors(schema, inputs)
    if errors:
        raise ValidationError({field: messages for field, messages in errors.items()})


def input_errors(schema: dict, inputs: Any) -> dict[str, list[str]]:
    """`{field path: [message, …]}` of everything wrong with `inputs`; empty when valid."""
    if not isinstance(inputs, dict):
        return {ALL: ["Inputs must be a mapping of field names to values."]}
    validator_cls = jsonschema.validators.validator_for(
        schema, default=jsonschema.Draft202012Validator
    )
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    errors: dict[str, list[str]] = {}

    def add(segments: list, message: str) -> None:
        field = format_path(segments) or ALL
        messages = errors.setdefault(field, [])
        if message not in messages:
            messages.append(message)

    instance = with_defaults(schema, inputs)
    for error in sorted(
        validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))
    ):
        path = list(error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, dict):
            for name in error.validator_value:
                if name not in error.instance:
                    add([*path, name], REQUIRED)
            continue
        if error.validator == "dependentRequired" and isinstance(error.instance, dict):
            for key, names in error.validator_value.items():
                if key in error.instance:
                    for name in names:
                        if name not in error.instance:
                            add([*path, name], REQUIRED)
            continue
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set((error.schema or {}).get("properties", {}))
            for name in error.instance:
                if name not in allowed:
                    add([*path, str(name)], f"{name} is not an input of this package.")
            continue
        add(path, _message(error))
    return errors


def with_defaults(schema: Any, inputs: Any) -> Any:
    """`inputs` with the schema's defaults filled in where a value is missing.

    What KCL does when it renders: an attribute with a default need not be given. Objects
    are filled key by key, list items with the item schema, map values with the value
    schema. inputs.yaml keeps only what a person chose; validation and forms see the
    values the render will use. `inputs` is not changed.
    """
    if not isinstance(schema, dict):
        return inputs
    if isinstance(inputs, list):
        items = schema.get("items")
        return [with_defaults(items, v) for v in inputs] if isinstance(items, dict) else inputs
    if not isinstance(inputs, dict):
        return inputs
    result = dict(inputs)
    props = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    for name, prop in props.items():
        if not isinstance(prop, dict):
            continue
        if name in result and result[name] is None and name not in required:
            # KCL takes None for an optional attribute (`hostPort?: int`): a chart's
            # values.yaml says `hostPort:` (null) for "not set", and its defaults must pass.
            del result[name]
            continue
        if name not in result and "default" in prop:
            result[name] = copy.deepcopy(prop["default"])
        if name in result:
            result[name] = with_defaults(prop, result[name])
        elif prop.get("properties") and "object" in types(prop):
            nested = with_defaults(prop, {})
            if nested:
                result[name] = nested
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        for name in result:
            if name not in props:
                result[name] = with_defaults(extra, result[name])
    return result


def _message(error: jsonschema.ValidationError) -> str:
    v, value = error.validator, error.validator_value
    if v == "type":
        wanted = value if isinstance(value, str) else " or ".join(value)
        article = "an" if wanted[:1] in "aeiou" else "a"
        return f"Enter {article} {wanted}."
    if v == "minimum":
        return f"Must be at least {value}."
    if v == "maximum":
        return f"Must be at most {value}."
    if v == "exclusiveMinimum":
        return f"Must be more than {value}."
    if v == "exclusiveMaximum":
        return f"Must be less than {value}."
    if v == "enum":
        return "Choose one of: " + ", ".join(str(x) for x in value) + "."
    if v == "minLength":
        return REQUIRED if value == 1 else f"Must be at least {value} characters."
    if v == "maxLength":
        return f"Must be at most {value} characters."
    if v == "pattern":
        return f"Must match the pattern {value}."
    return error.message
