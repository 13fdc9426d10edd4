"""The difference between two sets of manifests, per file, as values a page can show.

`diff_files(old, new)` is the one comparison: each file is added, removed or changed and
carries unified-diff lines tagged for display; unchanged files are counted, not listed.
`diff_renders(old, new)` compares the manifests/ trees of the commits holding two
renders' output (history); the wizard's review and change requests compare a render of
their inputs (`installations.rendering`) with the manifests at main.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from installations.layout import MANIFESTS_DIR
from installations.models import Render
from installations.repository import Repository

MAX_LINES_PER_FILE = 5000


class DiffError(Exception):
    """The two renders cannot be compared; the message says why."""


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "del", "context" or "hunk"
    text: str


@dataclass
class FileDiff:
    name: str  # file name inside manifests/, e.g. "001-deployment-web.yaml"
    status: str  # "added", "removed" or "changed"
    lines: list[DiffLine] = field(default_factory=list)
    additions: int = 0
    deletions: int = 0
    truncated: bool = False

    @property
    def unified(self) -> str:
        return "\n".join(
            {"add": "+", "del": "-", "context": " ", "hunk": ""}[line.kind] + line.text
            for line in self.lines
        )


@dataclass
class ManifestDiff:
    old: Render
    new: Render
    files: list[FileDiff]
    unchanged: int

    @property
    def additions(self) -> int:
        return sum(f.additions for f in self.files)

    @property
    def deletions(self) -> int:
        return sum(f.deletions for f in self.files)

    @property
    def is_empty(self) -> bool:
        return not self.files


def diff_renders(old: Render, new: Render, *, context: int = 3) -> ManifestDiff:
    if old.installation_id != new.installation_id:
        raise DiffError("Renders of different installations cannot be compared.")
    for render in (old, new):
        if not render.manifests_sha:
            raise DiffError(
                f"Render {render.id} is {render.state}; it has no manifests to compare."
            )
    repo = Repository(old.installation.repo_path)
    files = diff_commits(repo, old.manifests_sha, new.manifests_sha, context=context)
    before = {e.path for e in repo.tree(old.manifests_sha, MANIFESTS_DIR)}
    after = {e.path for e in repo.tree(new.manifests_sha, MANIFESTS_DIR)}
    unchanged = len(before & after) - sum(1 for f in files if f.status == "changed")
    return ManifestDiff(old=old, new=new, files=files, unchanged=unchanged)


def diff_commits(
    repo: Repository, old_sha: str, new_sha: str, *, context: int = 3
) -> list[FileDiff]:
    """Per-file diffs of manifests/ between two commits, in file-name order."""
    old_entries = {e.path: e.sha for e in repo.tree(old_sha, MANIFESTS_DIR)}
    new_entries = {e.path: e.sha for e in repo.tree(new_sha, MANIFESTS_DIR)}
    differing = sorted(
        p
        for p in old_entries.keys() | new_entries.keys()
        if old_entries.get(p) != new_entries.get(p)
    )
    if not differing:
        return []
    old_files = {p: b for p, b in repo.files(old_sha, MANIFESTS_DIR).items() if p in differing}
    new_files = {p: b for p, b in repo.files(new_sha, MANIFESTS_DIR).items() if p in differing}
    return diff_files(_names(old_files), _names(new_files), context=context)[0]


def _names(files: dict[str, bytes]) -> dict[str, bytes]:
    return {p.removeprefix(MANIFESTS_DIR + "/"): b for p, b in files.items()}


def diff_files(
    old: dict[str, bytes], new: dict[str, bytes], *, context: int = 3
) -> tuple[list[FileDiff], int]:
    """Per-file diffs between two sets of manifests `{name: bytes}`, in name order, and
    how many files are the same in both."""
    files, unchanged = [], 0
    for name in sorted(old.keys() | new.keys()):
        a, b = old.get(name), new.get(name)
        if a == b:
            unchanged += 1
            continue
        status = "added" if a is None else "removed" if b is None else "changed"
        files.append(file_diff(name, status, a, b, context=context))
    return files, unchanged


def manifests_at(repo: Repository, sha: str | None) -> dict[str, bytes]:
    """`{name: bytes}` of manifests/ at `sha` ({} for none)."""
    return _names(repo.files(sha, MANIFESTS_DIR)) if sha else {}


def _lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    return data.decode("utf-8", "replace").splitlines()


def file_diff(
    name: str, status: str, old: bytes | None, new: bytes | None, *, context: int = 3
) -> FileDiff:
    """The unified diff of one manifest as values (history and the wizard's review)."""
    a, b = _lines(old), _lines(new)
    diff = FileDiff(name=name, status=status)
    raw = difflib.unified_diff(a, b, lineterm="", n=context)
    for i, line in enumerate(raw):
        if i < 2:  # the ---/+++ header; the file name is shown separately
            continue
        if len(diff.lines) >= MAX_LINES_PER_FILE:
            diff.truncated = True
            break
        if line.startswith("@@"):
            diff.lines.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            diff.lines.append(DiffLine("add", line[1:]))
            diff.additions += 1
        elif line.startswith("-"):
            diff.lines.append(DiffLine("del", line[1:]))
            diff.deletions += 1
        else:
            diff.lines.append(DiffLine("context", line[1:]))
    return diff
