"""What the wizard's inputs would render to, against what the installation runs now.

For an edit the installation's head tree is rendered (its package.k, with any
per-install overrides), for a new installation the package version's archive with the
installation.yaml its name will get (its release name and namespace, as the first render
will land it); the
render is the installation domain's one pipeline (`installations.rendering`): each
`akua-secret:` marker resolved — the draft's typed value, else the installation's stored
one — Secrets redacted as manifests/ holds them, messages scrubbed and naming package
files. An unchanged secret shows no diff, a changed one a changed redaction; the page
never holds a value. Nothing is written anywhere.

The review shows a summary per kind (added, changed, removed, unchanged) and one line per
manifest; a manifest's diff is loaded when it is opened (`file_diff_of`), so a chart with
dozens of CRDs makes a short page. The render behind both is kept for a few minutes in
the process's cache, keyed by everything it depends on (the tree, the inputs, the typed
secrets' hash), so opening a diff does not render again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache

from catalog.archive import read_files
from catalog.models import PackageVersion
from installations.diffs import FileDiff, file_diff, manifests_at
from installations.landing import initial_target, target_file
from installations.models import Installation
from installations.rendering import RenderFailed, render_files
from installations.repository import Repository

CACHE_SECONDS = 600
CRD = "CustomResourceDefinition"
_KIND = re.compile(rb"^kind:[ \t]*['\"]?([A-Za-z0-9]+)", re.MULTILINE)
STATUSES = ("added", "changed", "removed", "unchanged")


@dataclass
class Entry:
    """One manifest of the review: its file, kind and what happens to it."""

    name: str
    kind: str
    status: str  # added, changed, removed, unchanged
    lines: int = 0  # of the file as it will be (as it was, for a removed one)

    @property
    def is_crd(self) -> bool:
        return self.kind == CRD


@dataclass
class Preview:
    entries: list[Entry] = field(default_factory=list)
    error: str = ""
    against: str = ""  # the commit compared with, "" for a new installation

    @property
    def total(self) -> int:
        return sum(1 for e in self.entries if e.status != "removed")

    @property
    def changed_count(self) -> int:
        """Manifests added, changed or removed."""
        return sum(1 for e in self.entries if e.status != "unchanged")

    @property
    def unchanged(self) -> int:
        return sum(1 for e in self.entries if e.status == "unchanged")

    @property
    def changes(self) -> list[Entry]:
        """Added, changed and removed manifests other than CRDs: opened one by one."""
        return [e for e in self.entries if e.status != "unchanged" and not e.is_crd]

    @property
    def crds(self) -> list[Entry]:
        return [e for e in self.entries if e.status != "unchanged" and e.is_crd]

    @property
    def unchanged_entries(self) -> list[Entry]:
        return [e for e in self.entries if e.status == "unchanged"]

    @property
    def by_kind(self) -> list[tuple[str, dict[str, int]]]:
        """(kind, {status: count}) for the summary table, kinds by name."""
        counts: dict[str, Counter] = {}
        for e in self.entries:
            counts.setdefault(e.kind, Counter())[e.status] += 1
        return [(kind, {s: counts[kind][s] for s in STATUSES}) for kind in sorted(counts)]

    @property
    def totals(self) -> dict[str, int]:
        c = Counter(e.status for e in self.entries)
        return {s: c[s] for s in STATUSES}


@dataclass
class _Rendered:
    current: dict[str, bytes]
    new: dict[str, bytes]
    error: str
    against: str


def _kind(content: bytes) -> str:
    match = _KIND.search(content)
    return match.group(1).decode() if match else "(no kind)"


@dataclass
class Proposal:
    """Inputs to preview, for `installation` (an edit) or for a new installation of `version`
    named `install_name` (its release name and namespace come from it). `secrets`: the
    draft's `{field: value}` (wizard.secrets); a marker in `inputs` that is not one of them
    is looked up in the installation's stored values."""

    inputs: dict
    version: PackageVersion
    installation: Installation | None
    secrets: dict[str, str] | None = None
    install_name: str = ""


def _status(old: bytes | None, new: bytes | None) -> str:
    """What happens to a manifest that is `old` now and `new` after (None: not there)."""
    if old is None:
        return "added"
    if new is None:
        return "removed"
    return "unchanged" if old == new else "changed"


def _render(proposal: Proposal) -> _Rendered:
    inputs, version, installation = proposal.inputs, proposal.version, proposal.installation
    secrets, install_name = proposal.secrets, proposal.install_name
    head = None
    repo = None
    if installation is not None:
        repo = Repository(installation.repo_path)
        head = repo.head() if repo.exists() else None
    key = (
        "wizard-preview:"
        + hashlib.sha256(
            json.dumps(
                [
                    version.pk,
                    version.digest,
                    installation.pk if installation else "",
                    head or "",
                    inputs,
                    sorted((secrets or {}).items()),
                    install_name,
                ],
                sort_keys=True,
                default=str,
            ).encode()
        ).hexdigest()
    )
    found = cache.get(key)
    if found is not None:
        return found
    if head:
        tree = repo.files(head)
    else:
        landing = initial_target(install_name or version.package.name)
        tree = {**read_files(bytes(version.archive)), **target_file(landing)}
    current = manifests_at(repo, head) if head else {}
    try:
        result = render_files(tree, inputs, installation=installation, typed=secrets or {})
    except RenderFailed as exc:
        out = _Rendered(current, {}, str(exc), head or "")
    else:
        out = _Rendered(current, {f.name: f.content for f in result.files}, "", head or "")
    cache.set(key, out, CACHE_SECONDS)
    return out


def preview(proposal: Proposal) -> Preview:
    """Every manifest the proposal renders, against what runs now."""
    r = _render(proposal)
    out = Preview(error=r.error, against=r.against)
    if r.error:
        return out
    for name in sorted(r.current.keys() | r.new.keys()):
        old, new = r.current.get(name), r.new.get(name)
        content = new if new is not None else old
        out.entries.append(Entry(name, _kind(content), _status(old, new), content.count(b"\n")))
    return out


def file_diff_of(name: str, proposal: Proposal) -> FileDiff | None:
    """One manifest's diff (None: no such manifest, or the inputs do not render)."""
    r = _render(proposal)
    old, new = r.current.get(name), r.new.get(name)
    if r.error or (old is None and new is None):
        return None
    return file_diff(name, _status(old, new), old, new)
