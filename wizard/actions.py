"""The wizard's state changes: confirm a draft, take in inputs.yaml typed in the YAML view.

`confirm` is one transaction: the draft's sensitive values are stored
(`set_sensitive_inputs`), the inputs committed (`create_installation`, `update_inputs` or
`update_inputs_text`) and the draft deleted — or nothing at all. It refuses on the server
what the review page shows: inputs that do not validate, a vendor lock broken, a render
that fails. The Confirm button being disabled in the browser is a courtesy, not the rule.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import transaction

from installations.actions import (
    create_installation,
    set_sensitive_inputs,
    update_inputs,
    update_inputs_text,
)
from installations.input_schema import ALL, get_value, input_errors
from installations.inputs import InputsFileError, parse_inputs_text, replace_scalars
from installations.models import Installation, SensitiveInput
from installations.overrides import lock_errors
from installations.sensitive import markers_in, plain_sensitive_values
from wizard import secrets as secret_store
from wizard.drafts import Scope
from wizard.preview import Preview, Proposal, file_diff_of, preview


def problems(scope: Scope, inputs: dict) -> dict[str, list[str]]:
    """Everything that stops a confirm, per field: the schema's messages and broken locks."""
    errors = input_errors(scope.form.schema, inputs)
    for path, messages in lock_problems(scope, inputs).items():
        errors.setdefault(path, []).extend(messages)
    return errors


def lock_problems(scope: Scope, values: dict) -> dict[str, list[str]]:
    """The domain's lock check (`installations.overrides`), asked early for the page."""
    return lock_errors(scope.version.package_id, scope.installation, scope.original, values)


def render_preview(scope: Scope, inputs: dict) -> Preview:
    """What the inputs render to, against what runs now (the review's diff)."""
    return preview(_proposal(scope, inputs))


def manifest_diff(scope: Scope, inputs: dict, name: str):
    """One manifest's diff in the review's render (None when there is no such file)."""
    return file_diff_of(name, _proposal(scope, inputs))


def _proposal(scope: Scope, inputs: dict) -> Proposal:
    return Proposal(
        inputs,
        version=scope.version,
        installation=scope.installation,
        secrets=scope.secrets,
        install_name=scope.draft.name,
    )


def confirm(
    scope: Scope,
    *,
    user,
    inputs: dict,
    text: str | None,
    rendered: Preview | None = None,
    name: str | None = None,
) -> Installation:
    """Commit the draft: a new installation, or the edit of one. `text`: inputs.yaml typed
    in the YAML view, committed as written. `rendered`: the review's render of `inputs`
    (rendered here when not given). `name`: the new installation's name as typed (the
    draft keeps at most what its field holds).

    Raises, writing nothing: ValidationError per field (and `name`/`customer_workspace`),
    ConflictError (an edit whose head moved), InstallationError, InputsFileError.
    """
    errors = problems(scope, inputs)
    if errors:
        raise ValidationError(errors)
    rendered = rendered or render_preview(scope, inputs)
    if rendered.error:
        raise ValidationError({ALL: [f"These inputs do not render: {rendered.error}"]})
    draft = scope.draft
    keep = {
        k: v for k, v in scope.secrets.items() if get_value(inputs, k) == secret_store.marker(v)
    }
    with transaction.atomic():
        if scope.is_edit:
            inst = scope.installation
            # Stored first: the render update_inputs requests finds them behind the markers.
            set_sensitive_inputs(inst, keep, user=user)
            if text is not None:  # from the YAML view: the person's text, as written
                update_inputs_text(inst, text, user=user, base_sha=draft.base_sha)
            else:
                update_inputs(inst, inputs, user=user, base_sha=draft.base_sha)
        else:
            if draft.customer_workspace is None:
                raise ValidationError({"customer_workspace": ["Choose a workspace."]})
            inst = create_installation(
                package_version=scope.version,
                customer_workspace=draft.customer_workspace,
                name=draft.name if name is None else name,
                inputs=inputs,
                user=user,
                inputs_text=text,  # from the YAML view: the person's text, as written
            )
            # Same transaction: the first render runs on commit, after these are stored.
            set_sensitive_inputs(inst, keep, user=user)
        if draft.pk is not None:
            draft.delete()
    return inst


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def take_text(scope: Scope, text: str) -> tuple[dict, str, dict[str, list[str]]]:
    """Typed inputs.yaml: (values, text, per-field problems); InputsFileError if not YAML.

    Plain sensitive values go encrypted into the draft and their markers into the text (the
    rest of it byte-for-byte). Problems: broken locks, the schema's messages, markers
    nobody set. When there are none, the draft holds the values and the text.
    """
    schema = scope.form.schema
    values = parse_inputs_text(text)
    if _holds_nul(values):  # PostgreSQL cannot store it in the draft (a 500 otherwise)
        raise InputsFileError(
            "inputs.yaml holds the character U+0000 (NUL, `\\0`), which a value cannot hold; "
            "remove it."
        )
    plain = dict(plain_sensitive_values(schema, values))
    if plain:
        scope.add_secrets(plain)
        text = replace_scalars(text, {k: secret_store.marker(v) for k, v in plain.items()})
        values = parse_inputs_text(text)
    found = lock_problems(scope, values)
    for path, messages in input_errors(schema, values).items():
        found.setdefault(path, []).extend(messages)
    known = {(k, secret_store.marker(v)) for k, v in scope.secrets.items()}
    unknown = [(p, m) for p, m in markers_in(values) if (p, m) not in known]
    if unknown and scope.is_edit:
        known |= set(
            SensitiveInput.objects.filter(
                installation=scope.installation, path__in=[p for p, _m in unknown]
            ).values_list("path", "marker")
        )
    for path, mark in unknown:
        if (path, mark) not in known:
            found.setdefault(path, []).append(
                "Refers to a secret that is not set: type its value here or in the form."
            )
    for path, _value in plain_sensitive_values(schema, values):  # not rewritable in place
        found.setdefault(path, []).append("Sensitive: give it as a plain one-line value.")
    if not found:
        scope.draft.data = json.loads(json.dumps(values, default=str))
        scope.draft.yaml_text = text
    return values, text, found
