"""The wizard's form from an input schema, by concept:

- `definitions`: field definitions and steps (`build_form`, `form_for`, `form_of_version`);
- `conditions`: fields shown or hidden by `if`/`then`/`else` and `dependentRequired`;
- `values`: a field's value in the draft, and `finalize` (the inputs the draft stands for);
- `posts`: a POST read into the draft, array and map edits;
- `nodes`: bound nodes for the templates, element ids, the review's summary;
- `validation`: which errors of `input_schema.input_errors` belong to a field or a step.

What the schema says about an input is read by `installations.input_schema` only.
"""

from wizard.forms.conditions import hidden_children, required_children
from wizard.forms.definitions import (
    GENERAL,
    ONE_PAGE,
    REVIEW,
    FieldDef,
    Step,
    WizardForm,
    build_form,
    form_for,
    form_of_version,
)
from wizard.forms.nodes import Node, bind_keys, bind_step, find_node, html_id, summary
from wizard.forms.posts import ParseResult, apply_op, is_locked, parse_post, posted_keys
from wizard.forms.validation import errors_for, field_errors
from wizard.forms.values import default_value, finalize, value_of

__all__ = [
    "GENERAL",
    "ONE_PAGE",
    "REVIEW",
    "FieldDef",
    "Node",
    "ParseResult",
    "Step",
    "WizardForm",
    "apply_op",
    "bind_keys",
    "bind_step",
    "build_form",
    "default_value",
    "errors_for",
    "field_errors",
    "finalize",
    "find_node",
    "form_for",
    "form_of_version",
    "hidden_children",
    "html_id",
    "is_locked",
    "parse_post",
    "posted_keys",
    "required_children",
    "summary",
    "value_of",
]
