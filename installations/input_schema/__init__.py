"""The one place that reads an input JSON Schema and the inputs it describes.

- `paths`: values named by a path (`config."grafana.ini".server`; the syntax is
  `akua.packaging.paths`): get, set, delete, leaves, and the one `MISSING` sentinel;
- `schema`: an input's schema at a path, its kind (the wizard's widgets), label,
  default, choices, sensitivity, and the required fields inside a missing object;
- `coerce`: typed text -> the input's value;
- `validation`: `input_errors` (defaults merged first), the check every door runs;
- `locks`: the rules of vendor locks and their one message.

Pure: no database. Everything that interprets a schema calls this package (forms, the
wizard, the version update, sensitive inputs, inputs.yaml, git push checks).
"""

from installations.input_schema.coerce import YAMLTextError, coerce, parse_yaml
from installations.input_schema.locks import (
    Lock,
    enforce,
    is_locked,
    locked_message,
    violations,
)
from installations.input_schema.paths import (
    MISSING,
    PathError,
    Segment,
    canonical,
    delete_value,
    format_path,
    get_value,
    is_within,
    join,
    leaves,
    parent,
    parse,
    segments,
    set_value,
)
from installations.input_schema.schema import (
    child_schema,
    choices,
    default,
    display,
    is_sensitive,
    is_sensitive_path,
    kind,
    label,
    maximum,
    members,
    minimum,
    order,
    required_fields,
    scalar_types,
    schema_at,
    sensitive_values,
    sentence_case,
    types,
    ui,
)
from installations.input_schema.validation import (
    ALL,
    REQUIRED,
    input_errors,
    validate_inputs,
    with_defaults,
)

__all__ = [
    "ALL",
    "MISSING",
    "REQUIRED",
    "Lock",
    "PathError",
    "Segment",
    "YAMLTextError",
    "canonical",
    "child_schema",
    "choices",
    "coerce",
    "default",
    "delete_value",
    "display",
    "enforce",
    "format_path",
    "get_value",
    "input_errors",
    "is_locked",
    "is_sensitive",
    "is_sensitive_path",
    "is_within",
    "join",
    "kind",
    "label",
    "leaves",
    "locked_message",
    "maximum",
    "members",
    "minimum",
    "order",
    "parent",
    "parse",
    "parse_yaml",
    "required_fields",
    "scalar_types",
    "schema_at",
    "segments",
    "sensitive_values",
    "sentence_case",
    "set_value",
    "types",
    "ui",
    "validate_inputs",
    "violations",
    "with_defaults",
]
