"""An installation's bare git repository: read it, and commit to it without a work tree.

Writes go through git plumbing: blobs into the object store, a tree built in a private
index file (GIT_INDEX_FILE), `commit-tree`, then `update-ref refs/heads/main NEW OLD`.
That last step is a compare-and-swap done by git under its ref lock, so two writers that
started from the same commit cannot lose each other's work: the second one gets a
`ConflictError` and the branch keeps the first one's commit. Nothing here ever moves the
branch anywhere but forward (history is never rewritten).

Every write to the object store or the refs (`commit_files`, `commit_tree`, `write_blob`,
a push through installations.git.http, an accepted change request, `maintain`) holds the
repository's write lock (`write_lock`: an flock on `<repo>/akua-push.lock`), so packing
never runs while objects are being written.

New objects are written loose (one file each); `gc.auto` is off so no write ever pays
for a repack. `maintain()` (the daily `installations.tasks.maintain_repositories`) packs them.

The real `git` binary does the work (subprocess, no shell); this module knows nothing
about Django models, only paths, so it is usable from tasks, commands and tests alike.
"""

from __future__ import annotations

import fcntl
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gitdb.base import IStream
from gitdb.db.loose import LooseObjectDB

BRANCH = "main"
REF = f"refs/heads/{BRANCH}"
ZERO_SHA = "0" * 40
FILE_MODE = "100644"
# The repository's write lock (not the package's akua.lock). The name is the push path's
# (it took the lock first); every writer now takes it.
WRITE_LOCK_FILE = "akua-push.lock"
# The longest file or folder name most file systems store (NAME_MAX); a longer one makes a
# repository that no client can check out, so neither Akua nor a push may write one.
MAX_NAME_BYTES = 255


@dataclass(frozen=True)
class Signature:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


AKUA = Signature("Akua", "akua@localhost")


class RepositoryError(Exception):
    """git failed; `str()` carries git's own message."""


class ConflictError(RepositoryError):
    """The branch moved since the caller read it: somebody else committed first.

    `expected` is the commit the caller started from, `actual` where the branch is now.
    """

    def __init__(self, message: str, *, expected: str | None = None, actual: str | None = None):
        super().__init__(message)
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True)
class TreeEntry:
    path: str
    mode: str
    sha: str
    size: int


@dataclass(frozen=True)
class Commit:
    sha: str
    tree: str
    parents: tuple[str, ...]
    author: Signature
    authored_at: datetime
    committer: Signature
    message: str

    @property
    def short_sha(self) -> str:
        return self.sha[:7]

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


@dataclass(frozen=True)
class Maintenance:
    """What `Repository.maintain` did: `git count-objects -v` before and after, and the
    bytes allocated on disk under the repository (`disk_allocated`)."""

    before: dict[str, int]
    after: dict[str, int]
    bytes_before: int
    bytes_after: int


class WriteLock:
    """The exclusive write lock of one repository: `flock` on `<repo>/akua-push.lock`.

    Re-entrant within a thread: a push holds it from its pre-receive hook until
    http-backend exits, and the render its post-receive hook starts may run inline (tasks
    in sync mode) and commit in the same thread. Other threads and processes wait. Each
    instance is acquired and released once; the outermost one holds the file descriptor,
    so it may be released from another thread (a streamed response closed elsewhere).
    """

    _registry_lock = threading.Lock()
    _holders: dict[str, list[int]] = {}  # resolved path -> [thread ident, nesting depth]

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._key = str(self.path.resolve())
        self._fd: int | None = None
        self._nested = False

    def acquire(self) -> None:
        me = threading.get_ident()
        with self._registry_lock:
            holder = self._holders.get(self._key)
            if holder is not None and holder[0] == me:
                holder[1] += 1
                self._nested = True
                return
        fd = os.open(self.path / WRITE_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        with self._registry_lock:
            self._holders[self._key] = [me, 1]
        self._fd = fd

    def release(self) -> None:
        with self._registry_lock:
            holder = self._holders.get(self._key)
            if self._nested:
                self._nested = False
                if holder is not None:
                    holder[1] -= 1
                return
            if self._fd is None:
                return
            self._holders.pop(self._key, None)
            fd, self._fd = self._fd, None
        os.close(fd)  # releases the flock

    def __enter__(self) -> WriteLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


class Repository:
    """One bare repository on disk."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._odb: LooseObjectDB | None = None

    # -- plumbing ---------------------------------------------------------------------

    def _git(
        self,
        *args: str,
        input: bytes | None = None,
        env: dict[str, str] | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess:
        full_env = {
            **os.environ,
            "GIT_DIR": str(self.path),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "LC_ALL": "C",
        }
        full_env.pop("GIT_WORK_TREE", None)
        full_env.pop("GIT_INDEX_FILE", None)
        if env:
            full_env.update(env)
        proc = subprocess.run(
            ["git", *args],
            input=input,
            capture_output=True,
            env=full_env,
            cwd=self.path if self.path.exists() else None,
        )
        if check and proc.returncode != 0:
            message = proc.stderr.decode("utf-8", "replace").strip()
            raise RepositoryError(f"git {args[0]} failed: {message}")
        return proc

    def _out(self, *args: str, **kwargs) -> str:
        return self._git(*args, **kwargs).stdout.decode("utf-8", "replace").strip()

    # -- create / read ----------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str) -> Repository:
        """A new bare repository with `main` as its default branch. Refuses an existing one."""
        path = Path(path)
        if path.exists():
            raise RepositoryError(f"{path} already exists")
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "git",
                "init",
                "--bare",
                "--quiet",
                "--template=",
                f"--initial-branch={BRANCH}",
                str(path),
            ],
            check=True,
            capture_output=True,
        )
        repo = cls(path)
        # An audit trail of every move of the branch, and pushes can never rewrite history.
        for key, value in (
            ("core.logAllRefUpdates", "always"),
            ("receive.denyNonFastForwards", "true"),
            ("receive.denyDeletes", "true"),
            ("receive.fsckObjects", "true"),
            ("gc.auto", "0"),
        ):
            repo._git("config", key, value)
        return repo

    def exists(self) -> bool:
        return (self.path / "HEAD").is_file()

    def head(self) -> str | None:
        """The commit `main` points at, or None for an empty repository."""
        proc = self._git("rev-parse", "--verify", "--quiet", f"{REF}^{{commit}}", check=False)
        sha = proc.stdout.decode().strip()
        return sha or None

    def resolve(self, rev: str) -> str:
        return self._out("rev-parse", "--verify", f"{rev}^{{commit}}")

    def read_file(self, path: str, rev: str = REF) -> bytes | None:
        """A file's bytes at `rev`, or None when it does not exist there."""
        proc = self._git("cat-file", "blob", f"{rev}:{path}", check=False)
        if proc.returncode != 0:
            return None
        return proc.stdout

    def tree(self, rev: str = REF, prefix: str = "") -> list[TreeEntry]:
        """Every file at `rev` (recursively), optionally only those under `prefix/`."""
        args = ["ls-tree", "-r", "-l", "-z", "--full-tree", rev]
        if prefix:
            args += ["--", prefix.rstrip("/") + "/"]
        out = self._git(*args).stdout.decode("utf-8", "surrogateescape")
        entries = []
        for record in out.split("\0"):
            if not record:
                continue
            meta, path = record.split("\t", 1)
            mode, kind, sha, size = meta.split()
            if kind != "blob":
                continue
            entries.append(TreeEntry(path, mode, sha, int(size) if size.isdigit() else 0))
        return entries

    def tree_sha(self, rev: str = REF) -> str:
        return self._out("rev-parse", f"{rev}^{{tree}}")

    def files(self, rev: str = REF, prefix: str = "") -> dict[str, bytes]:
        """`{path: bytes}` of the files at `rev` (under `prefix/` if given), in path order."""
        entries = self.tree(rev, prefix)
        if not entries:
            return {}
        batch = "".join(f"{e.sha}\n" for e in entries).encode()
        out = self._git("cat-file", "--batch", input=batch).stdout
        result: dict[str, bytes] = {}
        pos = 0
        for entry in entries:
            header_end = out.index(b"\n", pos)
            _sha, _kind, size = out[pos:header_end].split()
            start = header_end + 1
            end = start + int(size)
            result[entry.path] = out[start:end]
            pos = end + 1
        return result

    def extract_tree(self, rev: str, dest: Path | str, *, exclude: tuple[str, ...] = ()) -> Path:
        """Write the tree at `rev` into `dest` (a plain directory, no .git)."""
        dest = Path(dest)
        dest.mkdir(parents=True, exist_ok=True)
        data = self._git("archive", "--format=tar", rev).stdout
        root = dest.resolve()
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                if any(
                    member.name == p or member.name.startswith(p.rstrip("/") + "/") for p in exclude
                ):
                    continue
                target = (root / member.name).resolve()
                if not target.is_relative_to(root):
                    raise RepositoryError(f"{member.name}: path escapes the tree")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(tar.extractfile(member).read())
        return dest

    def commit(self, rev: str = REF) -> Commit:
        fmt = "%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%B"
        out = self._out("show", "-s", f"--format={fmt}", rev)
        return _parse_commit(out)

    def log(self, rev: str = REF, *, limit: int = 100, path: str | None = None) -> list[Commit]:
        """Commits reachable from `rev`, newest first."""
        if self.head() is None and rev == REF:
            return []
        fmt = "%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%B%x1e"
        args = ["log", f"--format={fmt}", f"-n{limit}", rev]
        if path:
            args += ["--", path]
        out = self._git(*args).stdout.decode("utf-8", "replace")
        return [_parse_commit(rec.strip("\n")) for rec in out.split("\x1e") if rec.strip()]

    def disk_usage(self) -> int:
        """Bytes on disk under the repository directory."""
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    def count_objects(self) -> dict[str, int]:
        """`git count-objects -v` as numbers: `count` (loose objects), `size` (KiB of
        loose objects), `in-pack`, `packs`, `size-pack` (KiB), `garbage`, …"""
        counts = {}
        for line in self._out("count-objects", "-v").splitlines():
            key, _, value = line.partition(":")
            if value.strip().isdigit():
                counts[key.strip()] = int(value)
        return counts

    def loose_objects(self) -> int:
        return self.count_objects().get("count", 0)

    def maintain(self) -> Maintenance:
        """Pack the loose objects and the refs, under the write lock.

        `git repack -a -d --keep-unreachable`: every object, loose or in a pack, into one
        new pack, the old packs and loose copies removed. `-a` keeps a repository at one
        pack however often it runs (plain `repack -d` adds a pack each time);
        `--keep-unreachable` packs unreachable objects (a commit that lost a race) instead
        of dropping them, so nothing is ever lost. Then `prune-packed` (loose objects that
        are also packed) and `pack-refs --all`. git 2.39's repack leaves unreachable
        *loose* objects loose even with `--keep-unreachable`, so those go into a pack of
        their own (`pack-objects`); the next run's `-a` folds it into the one pack.
        History, reflog and every sha stay as they were.
        """
        with self.write_lock():
            before, bytes_before = self.count_objects(), self.disk_allocated()
            self._git("repack", "-a", "-d", "-q", "--keep-unreachable")
            leftover = self._loose_ids()  # unreachable loose objects: repack leaves them
            if leftover:
                pack = self.path / "objects" / "pack" / "pack"
                self._git("pack-objects", "-q", str(pack), input="\n".join(leftover).encode())
            self._git("prune-packed", "-q")
            self._git("pack-refs", "--all")
            after = self.count_objects()
            return Maintenance(before, after, bytes_before, self.disk_allocated())

    def _loose_ids(self) -> list[str]:
        ids = []
        for directory in (self.path / "objects").glob("[0-9a-f][0-9a-f]"):
            for file in directory.iterdir():
                name = file.name
                if len(name) == 38 and all(c in "0123456789abcdef" for c in name):
                    ids.append(directory.name + name)
        return ids

    def disk_allocated(self) -> int:
        """Bytes the file system allocated under the repository (st_blocks, what `du`
        shows): every loose object takes at least one block however small it is."""
        return sum(f.lstat().st_blocks * 512 for f in self.path.rglob("*"))

    def fsck(self) -> str:
        """Run `git fsck --strict`; raises RepositoryError when the repository is damaged."""
        proc = self._git("fsck", "--strict", "--no-dangling", "--no-progress", check=False)
        output = (proc.stdout + proc.stderr).decode("utf-8", "replace")
        if proc.returncode != 0:
            raise RepositoryError(f"git fsck failed: {output.strip()}")
        return output

    def sweep_leftovers(self, older_than: float) -> list[str]:
        """Remove what a killed push or commit left behind; the paths removed.

        git cleans these up itself unless the process is killed (a web worker killed by a
        timeout or the OOM killer): the quarantine of a push (`objects/tmp_objdir-*`, or
        `objects/incoming-*` before git 2.35), half-written packs and objects
        (`objects/pack/tmp_*`, `tmp_obj_*`, gitdb's `objects/obj*`), and lock files
        (`*.lock`; a stale `refs/heads/main.lock` refuses every later push). Only what has
        not changed for `older_than` seconds goes, under the write lock: a push still
        uploading writes its quarantine without the lock, and takes longer than that never.
        """
        cutoff = time.time() - older_than
        objects = self.path / "objects"
        candidates = [
            *objects.glob("tmp_objdir-*"),
            *objects.glob("incoming-*"),
            *objects.glob("tmp_obj_*"),
            *objects.glob("[0-9a-f][0-9a-f]/tmp_obj_*"),
            *objects.glob("obj*"),
            *(objects / "pack").glob("tmp_*"),
            *(p for p in self.path.rglob("*.lock") if p.name != WRITE_LOCK_FILE),
            *(self.path / "hooks").glob(".*-*"),  # install_hooks' temporary files
        ]
        removed = []
        with self.write_lock():
            for path in candidates:
                try:
                    if _newest_mtime(path) > cutoff:
                        continue
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path)
                    else:
                        path.unlink()
                except FileNotFoundError:
                    continue
                removed.append(str(path.relative_to(self.path)))
        return sorted(removed)

    # -- write ------------------------------------------------------------------------

    def write_lock(self) -> WriteLock:
        """The repository's write lock (a context manager; see WriteLock)."""
        return WriteLock(self.path)

    def write_blob(self, data: bytes) -> str:
        with self.write_lock():
            return self._out("hash-object", "-w", "--stdin", input=data)

    def commit_files(
        self,
        changes: dict[str, bytes | None],
        message: str,
        *,
        author: Signature,
        parent: str | None,
        clear: tuple[str, ...] = (),
        committer: Signature = AKUA,
        allow_empty: bool = False,
    ) -> str | None:
        """Commit `changes` ({path: bytes, or None to delete}) on top of `parent`.

        `clear` names directories emptied first (a render replaces manifests/ whole).
        `parent` is the head the caller read; if the branch has moved since, nothing is
        changed and `ConflictError` is raised. Returns the new commit, or None when the
        tree would not change (and `allow_empty` is false).
        """
        with self.write_lock():
            return self._commit_files(
                changes,
                message,
                author=author,
                parent=parent,
                clear=clear,
                committer=committer,
                allow_empty=allow_empty,
            )

    def _commit_files(
        self,
        changes: dict[str, bytes | None],
        message: str,
        *,
        author: Signature,
        parent: str | None,
        clear: tuple[str, ...],
        committer: Signature,
        allow_empty: bool,
    ) -> str | None:
        entries: dict[str, tuple[str, str]] = {}
        if parent:
            for e in self.tree(parent):
                entries[e.path] = (e.mode, e.sha)
        for directory in clear:
            prefix = directory.rstrip("/") + "/"
            for path in [p for p in entries if p.startswith(prefix)]:
                del entries[path]
        for path, content in changes.items():
            _check_path(path)
            if content is None:
                entries.pop(path, None)
            else:
                entries[path] = (entries.get(path, (FILE_MODE, ""))[0], self._hash_blob(content))
        tree = self._write_tree(entries)
        if parent and not allow_empty and tree == self.tree_sha(parent):
            self._check_head(parent)
            return None
        return self.commit_tree(tree, message, author=author, parent=parent, committer=committer)

    def commit_tree(
        self,
        tree: str,
        message: str,
        *,
        author: Signature,
        parent: str | None,
        committer: Signature = AKUA,
    ) -> str:
        """Make a commit of an existing tree on top of `parent` and move main to it (CAS)."""
        args = ["commit-tree", tree]
        if parent:
            args += ["-p", parent]
        env = {
            "GIT_AUTHOR_NAME": author.name,
            "GIT_AUTHOR_EMAIL": author.email,
            "GIT_COMMITTER_NAME": committer.name,
            "GIT_COMMITTER_EMAIL": committer.email,
        }
        with self.write_lock():
            sha = self._out(*args, input=_normalise_message(message).encode(), env=env)
            self._update_ref(sha, parent, message)
        return sha

    def _hash_blob(self, data: bytes) -> str:
        # In-process (gitdb writes a loose object: temp file + rename, like git itself);
        # one `git hash-object` per file would be most of a render commit's time.
        if self._odb is None:
            self._odb = LooseObjectDB(str(self.path / "objects"))
        stream = self._odb.store(IStream(b"blob", len(data), io.BytesIO(data)))
        return stream.hexsha.decode()

    def _write_tree(self, entries: dict[str, tuple[str, str]]) -> str:
        with tempfile.TemporaryDirectory(prefix="akua-index-") as tmp:
            env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
            lines = "".join(
                f"{mode} {sha}\t{path}\0" for path, (mode, sha) in sorted(entries.items())
            )
            self._git("update-index", "-z", "--index-info", input=lines.encode(), env=env)
            return self._out("write-tree", env=env)

    def _update_ref(self, new: str, old: str | None, message: str) -> None:
        reflog = "akua: " + message.split("\n", 1)[0][:200]
        proc = self._git("update-ref", "-m", reflog, REF, new, old or ZERO_SHA, check=False)
        if proc.returncode != 0:
            self._check_head(old, committing=True)
            raise RepositoryError(
                "git update-ref failed: " + proc.stderr.decode("utf-8", "replace").strip()
            )

    def _check_head(self, expected: str | None, *, committing: bool = False) -> None:
        """ConflictError when main is not at `expected`: someone else moved it (`committing`:
        while this commit was being written)."""
        actual = self.head()
        if actual != expected:
            raise ConflictError(
                f"main moved from {_short(expected)} to {_short(actual)} while committing"
                if committing
                else f"main is at {_short(actual)}, not {_short(expected)}",
                expected=expected,
                actual=actual,
            )


def _newest_mtime(path: Path) -> float:
    """The latest modification under `path` (a directory's own mtime misses its subfolders)."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for child in path.rglob("*"):
            try:
                newest = max(newest, child.lstat().st_mtime)
            except FileNotFoundError:
                continue
    return newest


def _short(sha: str | None) -> str:
    return sha[:7] if sha else "(nothing)"


def _check_path(path: str) -> None:
    """Refuse what `git fsck` would (and what no checkout could write): Akua's own commits
    are held to the rules pushes are (installations.git.limits)."""
    parts = path.split("/")
    if (
        not path
        or path.startswith("/")
        or any(p in ("", ".", "..") or p.lower() == ".git" for p in parts)
        or "\0" in path
    ):
        raise RepositoryError(f"{path[:200]!r} is not a valid path inside the repository")
    long = next(
        (p for p in parts if len(p.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES), None
    )
    if long is not None:
        raise RepositoryError(
            f"{long[:60]}…: a file or folder name may be at most {MAX_NAME_BYTES} bytes"
        )


def _normalise_message(message: str) -> str:
    return message.strip() + "\n"


def _parse_commit(record: str) -> Commit:
    sha, tree, parents, an, ae, ad, cn, ce, body = record.split("\x00", 8)
    return Commit(
        sha=sha,
        tree=tree,
        parents=tuple(parents.split()),
        author=Signature(an, ae),
        authored_at=datetime.fromisoformat(ad).astimezone(UTC),
        committer=Signature(cn, ce),
        message=body.strip(),
    )
