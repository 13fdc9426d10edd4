"""Tags and the tracked ref's commit of a git repository, with `git ls-remote`."""

from __future__ import annotations

import re

from akua.packaging.errors import PackagingError
from akua.packaging.fetch.base import newest_first
from akua.packaging.fetch.git import GitError, run_git
from catalog.sources.base import SourceError, Upstream

_SHA = re.compile(r"^[0-9a-f]{40}$")


def list_git(url: str, ref: str = "") -> Upstream:
    """Tags newest first, and the commit `ref` (branch, tag or sha; default branch if empty) is at."""
    if not url:
        raise SourceError("a git source needs the repository URL")
    try:
        out = run_git(["ls-remote", url])
    except GitError as exc:
        raise SourceError(_explain(exc.stderr, url)) from None
    except PackagingError as exc:
        raise SourceError(exc.message) from None
    refs: dict[str, str] = {}
    for line in out.splitlines():
        sha, _, name = line.partition("\t")
        if name:
            refs[name] = sha
    tags: dict[str, str] = {}
    for name, sha in refs.items():
        if name.startswith("refs/tags/"):
            tag = name.removeprefix("refs/tags/")
            if tag.endswith("^{}"):
                tags[tag[:-3]] = sha  # the peeled commit of an annotated tag wins
            else:
                tags.setdefault(tag, sha)
    commit = resolve(refs, tags, ref)
    return Upstream(versions=newest_first(tags), commit=commit)


def resolve(refs: dict[str, str], tags: dict[str, str], ref: str) -> str:
    if not ref:
        if "HEAD" in refs:
            return refs["HEAD"]
        for branch in ("refs/heads/main", "refs/heads/master"):
            if branch in refs:
                return refs[branch]
        raise SourceError("the repository has no default branch; set the ref to track")
    if f"refs/heads/{ref}" in refs:
        return refs[f"refs/heads/{ref}"]
    if ref in tags:
        return tags[ref]
    if _SHA.match(ref):
        return ref
    raise SourceError(f"the repository has no branch or tag {ref!r}")


def _explain(stderr: str, url: str) -> str:
    lowered = stderr.lower()
    last = (stderr.strip().splitlines() or [""])[-1]
    if any(s in lowered for s in ("could not resolve", "failed to connect", "connection refused")):
        return f"could not reach {url}: {last}"
    if any(s in lowered for s in ("authentication", "403", "401", "terminal prompts disabled")):
        return f"{url} refused access (private repository?): {last}"
    if any(s in lowered for s in ("not found", "404", "does not appear to be a git repository")):
        return f"{url} is not a git repository (not found): {last}"
    return f"git ls-remote {url} failed: {last}"
