"""Sensitive inputs (DESIGN §9): stored encrypted, committed as markers, never in plain text.

The value-level rules (markers, paths, resolving, scrubbing) are `installations.sensitive`'s;
these are the actions that store values and commit their markers.
"""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from akua import crypto
from installations import input_schema, sensitive
from installations.actions.errors import InstallationError, check_not_deleted
from installations.actions.head import commit_edit, head_version, repository
from installations.actions.request import request_render
from installations.inputs import (
    parse_inputs,
    parse_inputs_text,
    replace_scalars,
    update_inputs_file,
)
from installations.layout import INPUTS_FILE
from installations.models import Installation, Render, SensitiveInput
from installations.overrides import lock_errors


def set_sensitive_inputs(installation: Installation, values: dict[str, str], *, user) -> dict:
    """Store `{path: value}` encrypted; return `{path: marker}`. Nothing is committed.

    For callers that commit inputs.yaml with the markers themselves (creating an
    installation, the wizard's confirm, `update_inputs`). A value set before keeps its row
    (so an old render can be restored with the value it had); the same value again only
    refreshes `updated_at`/`updated_by`.
    """
    markers = {}
    for path, value in values.items():
        mark = sensitive.marker(value)
        row, created = SensitiveInput.objects.get_or_create(
            installation=installation,
            path=path,
            marker=mark,
            defaults={"value_encrypted": crypto.encrypt(value), "updated_by": user},
        )
        if not created:
            SensitiveInput.objects.filter(pk=row.pk).update(
                updated_by=user, updated_at=timezone.now()
            )
        markers[path] = mark
    return markers


def set_sensitive_input(installation: Installation, path: str, value: str, *, user) -> str:
    """Set one sensitive input: store it encrypted, commit its marker, request a render.

    `path` must be a sensitive input of the version at the head ("db.password",
    `"redis-ha".password`; written canonically) that the vendor did not lock. When
    inputs.yaml does not hold this value's marker yet, a commit "Set secret <path>" puts it
    there (comments and order kept). Returns the marker. Messages never hold the value.
    """
    check_not_deleted(installation)
    try:
        path = input_schema.canonical(path)
    except input_schema.PathError as exc:
        raise InstallationError(f"{exc}; nothing was changed.") from None
    if not isinstance(value, str) or value == "":
        raise InstallationError(f"No value given for {path}; nothing was changed.")
    repo = repository(installation)
    head = repo.head()
    version = head_version(installation, head)
    if not input_schema.is_sensitive_path(version.input_schema, path):
        raise InstallationError(
            f"{path} is not a sensitive input of {version.package.name} {version.version}; "
            "set other inputs in inputs.yaml or the inputs editor."
        )
    original = repo.read_file(INPUTS_FILE, head) if head else None
    inputs = parse_inputs(original)
    mark = sensitive.marker(value)
    after = copy.deepcopy(inputs)
    try:
        input_schema.set_value(after, path, mark)
    except input_schema.PathError as exc:
        raise InstallationError(str(exc)) from None
    locked = lock_errors(version.package_id, installation, inputs, after)
    if locked:
        raise InstallationError(" ".join(sum(locked.values(), [])) + " Nothing was changed.")
    with transaction.atomic():
        set_sensitive_inputs(installation, {path: value}, user=user)
        if after != inputs:
            changed = {INPUTS_FILE: update_inputs_file(original, after)}
            commit_edit(repo, head, changed, f"Set secret {path}", user=user)
        request_render(installation, trigger=Render.Trigger.INPUTS, user=user)
    return mark


def markers_for_plain_secrets(schema: dict, inputs: dict) -> tuple[dict, dict[str, str]]:
    """Inputs with each plain sensitive value replaced by its marker, and those values.

    So no action commits a plaintext secret, whoever calls it (API, command, old form).
    """
    plain = dict(sensitive.plain_sensitive_values(schema, inputs))
    if not plain:
        return inputs, {}
    out = copy.deepcopy(inputs)
    for path, value in plain.items():
        input_schema.set_value(out, path, sensitive.marker(value))
    return out, plain


def secrets_out_of_text(
    installation: Installation, schema: dict, text: str, inputs: dict, *, user
) -> tuple[str, dict]:
    """Typed inputs.yaml with each plain sensitive value stored (`set_sensitive_inputs`) and
    only that scalar replaced by its marker (the rest byte-for-byte); and its inputs.
    Call inside the transaction that commits the text."""
    plain = dict(sensitive.plain_sensitive_values(schema, inputs))
    if not plain:
        return text, inputs
    text = replace_scalars(text, set_sensitive_inputs(installation, plain, user=user))
    inputs = parse_inputs_text(text)
    left = [p for p, _v in sensitive.plain_sensitive_values(schema, inputs)]
    if left:  # a construct replace_scalars cannot rewrite in place (never expected)
        raise ValidationError(
            {
                p: ["Sensitive: give it as a plain one-line value so Akua can store it."]
                for p in left
            }
        )
    return text, inputs


def check_markers_stored(installation: Installation, inputs: dict) -> None:
    """ValidationError for each `akua-secret:` marker the installation has no value for."""
    found = sensitive.markers_in(inputs)
    if not found:
        return
    stored = set(
        SensitiveInput.objects.filter(
            installation=installation, path__in=[p for p, _m in found]
        ).values_list("path", "marker")
    )
    missing = {
        path: [
            "Refers to a secret that is not set; set it with the wizard or "
            f"{sensitive.command_hint(installation.pk, path)}."
        ]
        for path, mark in found
        if (path, mark) not in stored
    }
    if missing:
        raise ValidationError(missing)
