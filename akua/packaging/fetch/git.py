"""Fetch a directory from a git repository at a tag or a revision, with the real `git` client.

The repository is fetched shallowly when the server allows it (smart HTTP, file://) and fully
otherwise (the dumb HTTP protocol cannot do shallow fetches). The ref is resolved to a commit
sha, recorded as the version; the commit's tree (or its `subdir`) is copied into the
destination without `.git`, and pinned by `tree_digest`. Symlinks that leave the copied tree are
refused. Stalled transfers fail after NETWORK_TIMEOUT seconds; a whole fetch after GIT_TIMEOUT.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from akua.packaging.digest import tree_digest
from akua.packaging.errors import PackagingError
from akua.packaging.fetch.base import NETWORK_TIMEOUT, FetchResult, newest_first, prepare_dest
from akua.packaging.manifest import Dependency

GIT_TIMEOUT = 10 * NETWORK_TIMEOUT
_LISTED_TAGS = 10
_UNREACHABLE = (
    "could not resolve host",
    "failed to connect",
    "connection refused",
    "connection timed out",
    "operation timed out",
    "couldn't connect",
    "ssl",
    "network is unreachable",
)
_NO_REPO = ("repository not found", "not found", "does not appear to be a git repository", "404")


class GitError(Exception):
    """A git command failed; `stderr` holds what it said."""

    def __init__(self, stderr: str):
        super().__init__(stderr)
        self.stderr = stderr


def fetch_git(dep: Dependency, dest: Path) -> FetchResult:
    subdir = _check_subdir(dep.subdir)
    host = urlsplit(dep.git).netloc or dep.git
    with tempfile.TemporaryDirectory(prefix="akua-git-") as tmp:
        repo = Path(tmp) / "repo"
        checkout = Path(tmp) / "tree"
        checkout.mkdir()
        try:
            run_git(["init", "--quiet", str(repo)])
            commit = _fetch_ref(repo, dep)
            run_git(["--work-tree", str(checkout), "checkout", "--force", commit, "--", "."], repo)
        except GitError as exc:
            raise _explain(exc, dep, host) from None

        source = checkout.joinpath(*subdir.parts) if subdir else checkout
        if not source.is_dir() or source.is_symlink():
            raise PackagingError(
                f"{dep.git} has no directory {dep.subdir!r} at {_ref(dep)} ({commit[:12]})"
            )
        _refuse_escaping_links(source, dep)
        dest = prepare_dest(dest)
        dest.rmdir()
        shutil.copytree(source, dest, symlinks=True)
    return FetchResult(path=dest, version=commit, source=dep.source, digest=tree_digest(dest))


def _fetch_ref(repo: Path, dep: Dependency) -> str:
    if dep.tag:
        refspec = f"+refs/tags/{dep.tag}:refs/tags/{dep.tag}"
        wanted = f"refs/tags/{dep.tag}^{{commit}}"
        try:
            run_git(["fetch", "--quiet", "--depth", "1", "--no-tags", dep.git, refspec], repo)
        except GitError as exc:
            if not _shallow_unsupported(exc):
                raise
            run_git(["fetch", "--quiet", "--no-tags", dep.git, refspec], repo)
        return run_git(["rev-parse", "--verify", "--quiet", wanted], repo).strip()

    # A revision: a full commit sha can be fetched directly from most smart servers; anything
    # else (a short sha, a branch, a dumb server) needs the whole history to resolve.
    try:
        run_git(["fetch", "--quiet", "--depth", "1", "--no-tags", dep.git, dep.rev], repo)
        return run_git(["rev-parse", "--verify", "--quiet", "FETCH_HEAD^{commit}"], repo).strip()
    except GitError as exc:
        if _unreachable(exc.stderr):
            raise
    run_git(
        [
            "fetch",
            "--quiet",
            "--update-head-ok",
            dep.git,
            "+refs/heads/*:refs/heads/*",
            "+refs/tags/*:refs/tags/*",
        ],
        repo,
    )
    try:
        return run_git(["rev-parse", "--verify", "--quiet", f"{dep.rev}^{{commit}}"], repo).strip()
    except GitError:
        raise PackagingError(f"{dep.git} has no commit or branch {dep.rev!r}") from None


def run_git(args: list[str], cwd: Path | None = None) -> str:
    """Run `git` non-interactively within GIT_TIMEOUT (the one outbound call); stdout on success."""
    env = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "true",
        "GIT_LFS_SKIP_SMUDGE": "1",
        "LC_ALL": "C",
    }
    config = [
        "-c", f"http.lowSpeedTime={NETWORK_TIMEOUT}",
        "-c", "http.lowSpeedLimit=1",
        "-c", "advice.detachedHead=false",
        "-c", "init.defaultBranch=main",
        "-c", "protocol.allow=never",
        "-c", "protocol.http.allow=always",
        "-c", "protocol.https.allow=always",
        "-c", "protocol.file.allow=always",
    ]  # fmt: skip
    try:
        done = subprocess.run(
            ["git", *config, *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise PackagingError(
            "git is not installed on this machine; it is needed for git dependencies"
        ) from None
    except subprocess.TimeoutExpired:
        raise PackagingError(f"git {args[0]} did not finish within {GIT_TIMEOUT} s") from None
    if done.returncode != 0:
        raise GitError(done.stderr.strip())
    return done.stdout


def _check_subdir(subdir: str | None) -> PurePosixPath | None:
    if not subdir:
        return None
    path = PurePosixPath(subdir)
    parts = [p for p in path.parts if p not in ("", ".")]
    if path.is_absolute() or ".." in parts or "\\" in subdir:
        raise PackagingError(f"git subdir {subdir!r} must be a relative path inside the repository")
    return PurePosixPath(*parts) if parts else None


def _refuse_escaping_links(root: Path, dep: Dependency) -> None:
    resolved_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            entry = Path(dirpath) / name
            if entry.is_symlink():
                target = entry.resolve()
                if target != resolved_root and resolved_root not in target.parents:
                    rel = entry.relative_to(root).as_posix()
                    raise PackagingError(
                        f"{dep.git} at {_ref(dep)}: symlink {rel!r} points outside the fetched tree; refused"
                    )


def _ref(dep: Dependency) -> str:
    return f"tag {dep.tag}" if dep.tag else f"rev {dep.rev}"


def _shallow_unsupported(exc: GitError) -> bool:
    return "shallow" in exc.stderr.lower() or "dumb http" in exc.stderr.lower()


def _unreachable(stderr: str) -> bool:
    lowered = stderr.lower()
    return any(marker in lowered for marker in _UNREACHABLE)


def _explain(exc: GitError, dep: Dependency, host: str) -> PackagingError:
    detail = _last_line(exc.stderr)
    lowered = exc.stderr.lower()
    if _unreachable(exc.stderr):
        return PackagingError(f"could not reach {host} for {dep.git}: {detail}")
    if dep.tag and "couldn't find remote ref" in lowered:
        tags = _remote_tags(dep.git)
        shown = ", ".join(tags[:_LISTED_TAGS]) or "none"
        more = f" and {len(tags) - _LISTED_TAGS} older" if len(tags) > _LISTED_TAGS else ""
        return PackagingError(f"{dep.git} has no tag {dep.tag!r}; tags: {shown}{more}")
    if any(marker in lowered for marker in _NO_REPO):
        return PackagingError(f"no git repository at {dep.git}: {detail}")
    return PackagingError(f"could not fetch {_ref(dep)} from {dep.git}: {detail}")


def _remote_tags(url: str) -> list[str]:
    try:
        out = run_git(["ls-remote", "--tags", "--refs", url])
    except (GitError, PackagingError):
        return []
    names = re.findall(r"refs/tags/(\S+)$", out, flags=re.MULTILINE)
    return newest_first(names)


def _last_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else "git failed without a message"
