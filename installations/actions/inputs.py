"""Editing an installation's inputs: from a form (values) or as text (inputs.yaml as typed).

Both commit on top of the head the person's editor was built from (`base_sha`): if anyone
committed since, nothing is written and ConflictError says so; the caller keeps what was
typed and shows the message.
"""

from __future__ import annotations

from django.db import transaction

from installations.actions.errors import check_not_deleted, edit_conflict
from installations.actions.head import commit_edit, head_version, repository
from installations.actions.request import request_render
from installations.actions.secrets import (
    check_markers_stored,
    markers_for_plain_secrets,
    secrets_out_of_text,
    set_sensitive_inputs,
)
from installations.input_schema import validate_inputs
from installations.inputs import (
    InputsFileError,
    changed_keys,
    parse_inputs,
    parse_inputs_text,
    update_inputs_file,
)
from installations.layout import INPUTS_FILE
from installations.models import Installation, Render
from installations.overrides import check_locks
from installations.repository import Repository


def update_inputs(installation: Installation, inputs: dict, *, user, base_sha: str) -> Render:
    """Commit new inputs on top of `base_sha` (the head the person's form was built from).

    If anyone committed since, nothing is written and ConflictError says so; the caller
    keeps the typed values and shows the message. Comments and key order in inputs.yaml
    are kept. Unchanged inputs make no commit; the render is still requested (and skipped).
    ValidationError per field for values the schema refuses or the vendor locked.
    """
    check_not_deleted(installation)
    repo = repository(installation)
    head = repo.head()
    schema = head_version(installation, head).input_schema
    validate_inputs(schema, inputs)
    _check_locks(installation, repo, head, inputs)
    if head != base_sha:
        raise edit_conflict(repo, base_sha, head)
    inputs, plain_secrets = markers_for_plain_secrets(schema, inputs)
    set_sensitive_inputs(installation, plain_secrets, user=user)
    original = repo.read_file(INPUTS_FILE, base_sha)
    subject = _inputs_subject("Update inputs", original, inputs)
    content = update_inputs_file(original, inputs)
    return _commit_inputs(installation, repo, content, subject, user=user, base_sha=base_sha)


def update_inputs_text(installation: Installation, text: str, *, user, base_sha: str) -> Render:
    """Commit `text` as inputs.yaml exactly as written, on top of `base_sha`; request a render.

    For the inputs editor's YAML view: a person's comments, key order, quoting and blank
    lines are committed byte-for-byte — with one exception: a plain value in a sensitive
    input is stored encrypted (`set_sensitive_inputs`) and only that scalar is replaced by
    its marker in the text, so git never holds it (DESIGN §9). Raises, writing nothing:

    - InputsFileError for text that is not YAML (message and `line` say where);
    - ValidationError per field for inputs the head version's schema refuses, inputs the
      vendor locked (`installations.overrides`), and an `akua-secret:` marker with no
      stored value;
    - ConflictError when anyone committed since `base_sha` (like `update_inputs`).

    Text identical to the committed file makes no commit; the render is still requested.
    """
    check_not_deleted(installation)
    repo = repository(installation)
    head = repo.head()
    schema = head_version(installation, head).input_schema
    inputs = parse_inputs_text(text)
    validate_inputs(schema, inputs)
    _check_locks(installation, repo, head, inputs)
    if head != base_sha:
        raise edit_conflict(repo, base_sha, head)
    with transaction.atomic():
        text, inputs = secrets_out_of_text(installation, schema, text, inputs, user=user)
        check_markers_stored(installation, inputs)
        original = repo.read_file(INPUTS_FILE, base_sha) if base_sha else None
        subject = _inputs_subject("Update inputs.yaml", original, inputs)
        content = text.encode("utf-8")
        return _commit_inputs(installation, repo, content, subject, user=user, base_sha=base_sha)


def _check_locks(installation: Installation, repo: Repository, head: str | None, inputs) -> None:
    """ValidationError for each input the vendor locked that `inputs` change (from the head)."""
    try:
        before = parse_inputs(repo.read_file(INPUTS_FILE, head)) if head else {}
    except InputsFileError:
        before = {}
    check_locks(installation.package_version.package_id, installation, before, inputs)


def _commit_inputs(
    installation: Installation, repo: Repository, content: bytes, subject: str, *, user, base_sha
) -> Render:
    """Commit inputs.yaml on top of `base_sha` (a stale base is a conflict) and render it."""
    commit_edit(repo, base_sha, {INPUTS_FILE: content}, subject, user=user)
    return request_render(installation, trigger=Render.Trigger.INPUTS, user=user)


def _inputs_subject(verb: str, original: bytes | None, inputs: dict) -> str:
    """A commit subject naming the inputs that changed: "Update inputs: replicas, host"."""
    try:
        old_inputs = parse_inputs(original)
    except InputsFileError:
        old_inputs = {}
    changed = changed_keys(old_inputs, inputs)
    if not changed:
        return verb
    more = f" and {len(changed) - 6} more" if len(changed) > 6 else ""
    return f"{verb}: {', '.join(changed[:6])}{more}"
