"""What the wizard's inputs would render to, as a diff against what the installation runs now.

The tree is rendered in a temporary directory with `akua.packaging.render`: for an edit
the installation's head tree (its package.k, with any per-install overrides), for a new
installation the package version's archive. Nothing is written anywhere.

Sensitive inputs render as the installation's render does (installations.sensitive): each
`akua-secret:` marker is replaced by its value — the draft's own (typed in the wizard, not
stored yet) or the installation's stored `SensitiveInput` — and the result goes through
`sensitive.protect`, so `kind: Secret` values are the same `akua-redacted:` markers
manifests/ holds. An unchanged secret shows no diff, a changed one a changed redaction;
the page never holds a value (render errors are `scrub`bed).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from akua.packaging import PackagingError, render
from catalog.archive import read_files
from catalog.models import PackageVersion
from installations.diffs import FileDiff, file_diff
from installations.layout import INPUTS_FILE, MANIFESTS_DIR, in_manifests
from installations.models import Installation
from installations.repository import Repository
from installations.sensitive import (
    SensitiveInputError,
    marker,
    markers_in,
    protect,
    resolve,
    scrub,
    substitute,
)

MAX_LINES = 3000


@dataclass
class Preview:
    files: list[FileDiff] = field(default_factory=list)
    unchanged: int = 0
    total: int = 0
    error: str = ""
    against: str = ""  # the commit compared with, "" for a new installation


def preview(
    inputs: dict,
    *,
    version: PackageVersion,
    installation: Installation | None,
    secrets: dict[str, str] | None = None,
) -> Preview:
    """`secrets`: the draft's `{field: value}` (wizard.secrets); a marker in `inputs` that
    is not one of them is looked up in the installation's stored values."""
    current: dict[str, bytes] = {}
    head = None
    tree: dict[str, bytes] | None = None
    if installation is not None:
        repo = Repository(installation.repo_path)
        if repo.exists():
            head = repo.head()
        if head:
            tree = repo.files(head)
            current = {
                p.removeprefix(MANIFESTS_DIR + "/"): b for p, b in tree.items() if in_manifests(p)
            }
    if tree is None:
        tree = read_files(bytes(version.archive))
    out = Preview(against=head or "")
    with tempfile.TemporaryDirectory(prefix="akua-wizard-") as tmp:
        root = Path(tmp)
        for path, data in tree.items():
            if in_manifests(path) or path == INPUTS_FILE:
                continue
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        values: dict[str, str] = {}
        try:
            values = _values(inputs, installation, secrets or {})
            result = protect(render(root, substitute(inputs, values)), values)
        except SensitiveInputError as exc:
            out.error = str(exc)
            return out
        except PackagingError as exc:
            out.error = scrub(str(exc), values)
            return out
        except Exception as exc:  # a broken tree: say it, do not crash the page
            out.error = scrub(f"The package did not render: {exc}", values)
            return out
    new = {f.name: f.content for f in result.files}
    out.total = len(new)
    for name in sorted(current.keys() | new.keys()):
        a, b = current.get(name), new.get(name)
        if a == b:
            out.unchanged += 1
            continue
        status = "added" if a is None else "removed" if b is None else "changed"
        out.files.append(file_diff(name, status, a, b))
    return out


def _values(
    inputs: dict, installation: Installation | None, secrets: dict[str, str]
) -> dict[str, str]:
    """`{path: value}` behind every marker: the draft's values first, then the stored ones."""
    values: dict[str, str] = {}
    for path, mark in markers_in(inputs):
        value = secrets.get(path)
        if value is not None and marker(value) == mark:
            values[path] = value
    rest = substitute(inputs, values)
    if left := markers_in(rest):
        if installation is None:
            path = left[0][0]
            raise SensitiveInputError(
                f"inputs.yaml: {path} refers to a secret that is not set; type its value in "
                "the form."
            )
        values.update(resolve(installation, rest))
    return values
