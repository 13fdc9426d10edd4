"""What the wizard's inputs would render to, as a diff against what the installation runs now.

For an edit the installation's head tree is rendered (its package.k, with any
per-install overrides), for a new installation the package version's archive; the
render is the installation domain's one pipeline (`installations.rendering`): each
`akua-secret:` marker resolved — the draft's typed value, else the installation's stored
one — Secrets redacted as manifests/ holds them, messages scrubbed and naming package
files. An unchanged secret shows no diff, a changed one a changed redaction; the page
never holds a value. Nothing is written anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.archive import read_files
from catalog.models import PackageVersion
from installations.diffs import FileDiff, diff_files, manifests_at
from installations.models import Installation
from installations.rendering import RenderFailed, render_files
from installations.repository import Repository


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
    head = None
    tree: dict[str, bytes] | None = None
    if installation is not None:
        repo = Repository(installation.repo_path)
        head = repo.head() if repo.exists() else None
        if head:
            tree = repo.files(head)
    current = manifests_at(repo, head) if head else {}
    if tree is None:
        tree = read_files(bytes(version.archive))
    out = Preview(against=head or "")
    try:
        result = render_files(tree, inputs, installation=installation, typed=secrets or {})
    except RenderFailed as exc:
        out.error = str(exc)
        return out
    new = {f.name: f.content for f in result.files}
    out.total = len(new)
    out.files, out.unchanged = diff_files(current, new)
    return out
