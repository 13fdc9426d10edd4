"""Sensitive inputs and Secrets: git never holds a plaintext secret (DESIGN §9).

- A sensitive input (`x-ui.sensitive`, `writeOnly` or `x-ui.widget: password` in the input
  schema) is stored encrypted in `SensitiveInput`; inputs.yaml holds only its marker
  `akua-secret:sha256:<12 hex>` (a keyed hash, `akua.crypto.fingerprint`).
- The render (the one pipeline, `installations.rendering`) calls `resolve` to get the values
  behind the markers and renders twice: with the markers standing in for the values (what
  git gets) and with `substitute`d inputs (what the cluster gets); `installations.stand_ins`
  compares the two: every `kind: Secret` object's `data`/`stringData` values become
  `akua-redacted:sha256:<16 hex>` in the files committed to manifests/ (the render hash is
  computed over those, so a changed secret still changes it), any other object that differs
  fails the render (but annotations the vendor listed as checksums), and the real forms are
  kept apart (encrypted on the Render, `seal`). A sensitive value found in plain text in any
  committed file fails the render too (a second wall).
- `render_manifest_files(render)` is what a cluster apply reads: the committed files with
  those objects swapped back for their real forms.

Error messages name paths and files, never values; `scrub` removes values from messages
that come from the packaging engines.
"""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass, field
from typing import Any

from akua import crypto
from akua.packaging.manifests import ManifestFile
from installations import input_schema
from installations.layout import MANIFESTS_DIR

MARKER_PREFIX = "akua-secret:sha256:"
REDACTED_PREFIX = "akua-redacted:sha256:"
# Shorter values are not looked for in the committed files: too likely to match by chance.
MIN_LEAK_LENGTH = 4


class SensitiveInputError(Exception):
    """A sensitive input is missing, unreadable or would be committed; the message says which."""


# -- markers ---------------------------------------------------------------------------


def marker(value: str) -> str:
    """`akua-secret:sha256:<12 hex>`: changes with the value, reveals nothing usable."""
    return MARKER_PREFIX + crypto.fingerprint(value)[:12]


def is_marker(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(MARKER_PREFIX)


def redaction(value: str) -> str:
    """What a Secret's value becomes in manifests/: `akua-redacted:sha256:<16 hex>`."""
    return REDACTED_PREFIX + crypto.fingerprint(value)[:16]


def command_hint(installation_id: str, path: str) -> str:
    return f"`manage.py set_secret_input {installation_id} {path} --stdin`"


# -- the schema and the inputs (installations.input_schema) -----------------------------


def plain_sensitive_values(schema: dict, inputs: dict) -> list[tuple[str, str]]:
    """(path, value) of sensitive inputs holding a plain value instead of a marker."""
    return [(p, v) for p, v in input_schema.sensitive_values(schema, inputs) if not is_marker(v)]


def markers_in(inputs: Any) -> list[tuple[str, str]]:
    """(path, marker) of every marker anywhere in the inputs."""
    return [(path, value) for path, value in input_schema.leaves(inputs) if is_marker(value)]


# -- the render ------------------------------------------------------------------------


def resolve(installation, inputs: dict) -> dict[str, str]:
    """`{path: value}` for every marker in the inputs, decrypted from SensitiveInput.

    Raises SensitiveInputError naming the path when a marker has no stored value.
    """
    from installations.models import SensitiveInput

    found = list(markers_in(inputs))
    if not found:
        return {}
    rows = {
        (row.path, row.marker): row
        for row in SensitiveInput.objects.filter(
            installation=installation, path__in=[p for p, _ in found]
        )
    }
    values: dict[str, str] = {}
    for path, mark in found:
        row = rows.get((path, mark))
        if row is None:
            raise SensitiveInputError(
                f"inputs.yaml: {path} refers to a secret that is not set; set it with the "
                f"wizard or {command_hint(installation.pk, path)}"
            )
        try:
            values[path] = row.decrypt()
        except crypto.InvalidToken:
            raise SensitiveInputError(
                f"inputs.yaml: {path} cannot be decrypted (did AKUA_ENCRYPTION_KEY change?); "
                f"set it again with the wizard or {command_hint(installation.pk, path)}"
            ) from None
    return values


def substitute(inputs: dict, values: dict[str, str]) -> dict:
    """A copy of the inputs with each marker replaced by its value."""
    out = copy.deepcopy(inputs)
    for path, value in values.items():
        input_schema.set_value(out, path, value)
    return out


def scrub(text: str, values: dict[str, str]) -> str:
    """`text` with every sensitive value replaced by `<sensitive input PATH>`."""
    for path, value in sorted(values.items(), key=lambda kv: -len(kv[1])):
        if value:
            text = text.replace(value, f"<sensitive input {path}>")
    return text


@dataclass
class ProtectedRender:
    """What a render commits (`files`, `hash`) and what stays encrypted (`secret_manifests`:
    the real form of each file committed otherwise — Secrets, checksum annotations)."""

    files: list[ManifestFile]
    hash: str
    secret_manifests: dict[str, str] = field(default_factory=dict)  # manifests/<file> -> yaml


def is_secret(resource: Any) -> bool:
    return isinstance(resource, dict) and resource.get("kind") == "Secret"


def redact_secret(resource: dict) -> dict:
    out = copy.deepcopy(resource)
    for key in ("data", "stringData"):
        values = out.get(key)
        if isinstance(values, dict):
            out[key] = {k: (v if v is None else redaction(str(v))) for k, v in values.items()}
    return out


def _strings(node: Any):
    if isinstance(node, dict):
        for k, v in node.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, str):
        yield node


def leaked_path(resource: Any, values: dict[str, str]) -> str | None:
    """The path of a sensitive value written in plain text (or base64) in `resource`, or None."""
    visible = resource
    if is_secret(resource):
        visible = {k: v for k, v in resource.items() if k not in ("data", "stringData")}
    strings = list(_strings(visible))
    for path, value in values.items():
        if len(value) < MIN_LEAK_LENGTH:
            continue
        encoded = base64.b64encode(value.encode()).decode()
        if any(value in s or encoded in s for s in strings):
            return path
    return None


# -- sealed Secrets on the Render ------------------------------------------------------------


def seal(secret_manifests: dict[str, str]) -> bytes:
    return crypto.encrypt(json.dumps(secret_manifests, sort_keys=True)) if secret_manifests else b""


def unseal(token: bytes | memoryview | None) -> dict[str, str]:
    if not token or not bytes(token):
        return {}
    return json.loads(crypto.decrypt(token))


def render_manifest_files(render) -> dict[str, bytes]:
    """`{manifests/<file>: bytes}` to APPLY for `render`: its committed manifests with each
    file committed otherwise (a redacted Secret, a hashed checksum annotation) replaced by
    its real form kept (encrypted) on the Render.

    For the cluster apply. Raises SensitiveInputError when a Secret's full manifest cannot be
    read (never hands out a redacted Secret as if it were real).
    """
    from installations.repository import Repository

    sha = render.manifests_sha or render.commit_sha
    if not sha:
        return {}
    files = Repository(render.installation.repo_path).files(sha, MANIFESTS_DIR)
    try:
        full = unseal(render.secret_manifests)
    except crypto.InvalidToken:
        raise SensitiveInputError(
            f"The Secrets of render {render.pk} cannot be decrypted (did AKUA_ENCRYPTION_KEY "
            "change?); re-render the installation."
        ) from None
    for path in files:
        if path in full:
            files[path] = full[path].encode("utf-8")
        elif REDACTED_PREFIX.encode() in files[path]:
            raise SensitiveInputError(
                f"{path} is redacted and render {render.pk} does not hold its full Secret; "
                "re-render the installation."
            )
    return files
