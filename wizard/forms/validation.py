"""The wizard's questions to `input_schema.input_errors`: one field, one step, everything.

Messages are the plain ones of `input_errors` (the check a git push gets), run on
`finalize(draft)`; these helpers only choose which part of the inputs to check and which
errors to show where.
"""

from __future__ import annotations

from installations.input_schema import (
    ALL,
    format_path,
    get_value,
    input_errors,
    is_within,
    segments,
)
from wizard.forms.definitions import Step, WizardForm
from wizard.forms.values import finalize


def field_errors(form: WizardForm, data: dict, key: str, **finalize_kwargs) -> dict:
    """The errors about one field, checked against the nearest enclosing object only.

    The answer to a field being left must be quick on a big chart: `values.api.port` is
    checked with the schema of `values.api` and its values (with its defaults, its
    `if`/`then` and `dependentRequired`), not the whole form. Inside a list, the whole
    form is checked.
    """
    parts = segments(key)
    node, depth = form.root, 0
    for part in parts[:-1]:
        child = node.child(part) if node.kind == "object" and isinstance(part, str) else None
        if child is None or child.kind != "object":
            break
        node, depth = child, depth + 1
    inputs = finalize(form, data, **finalize_kwargs)
    if depth:
        prefix = parts[:depth]
        obj = get_value(inputs, prefix, {})
        errors = {
            format_path([*prefix, *segments(k)]) if k != ALL else format_path(prefix): v
            for k, v in input_errors(node.schema, obj if isinstance(obj, dict) else {}).items()
        }
    else:
        errors = input_errors(form.schema, inputs)
    return {k: v for k, v in errors.items() if k != ALL and is_within(k, key)}


def errors_for(errors: dict[str, list[str]], step: Step) -> dict[str, list[str]]:
    """The errors about the fields of `step`."""
    return {k: v for k, v in errors.items() if k != ALL and step.owns(k)}
