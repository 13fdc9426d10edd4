"""Package trees as deterministic tar.gz bytes, and safe extraction of untrusted archives.

Same tree -> same bytes: entries sorted by path, mtime 0, uid/gid 0, no owner names,
modes normalised to 0644/0755, gzip header without name or time. Version control and
cache directories are left out. Extraction refuses absolute paths, `..`, links and
device files, and caps the size, because a vendor's upload is untrusted input.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import tarfile
from pathlib import Path, PurePosixPath

SKIP_NAMES = {".git", ".hg", ".svn", "__pycache__", ".DS_Store", ".pytest_cache"}
MAX_FILES = 10_000
MAX_TOTAL_BYTES = 200 * 1024 * 1024


class ArchiveError(Exception):
    """An archive or directory cannot be packed or unpacked safely; the message says why."""


def pack_directory(src: Path | str) -> bytes:
    """Deterministic tar.gz of `src` (its contents, paths relative to it)."""
    src = Path(src)
    if not src.is_dir():
        raise ArchiveError(f"{src} is not a directory")
    files: dict[str, bytes] = {}
    executable: set[str] = set()
    for path in sorted(_walk(src)):
        rel = path.relative_to(src).as_posix()
        files[rel] = path.read_bytes()
        if path.stat().st_mode & stat.S_IXUSR:
            executable.add(rel)
    return pack_files(files, executable=executable)


def pack_files(files: dict[str, bytes], *, executable: set[str] | frozenset = frozenset()) -> bytes:
    """Deterministic tar.gz of `{relative posix path: bytes}`; directories are implied."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        dirs_done: set[str] = set()
        for name in sorted(files):
            _check_member_name(name)
            parts = PurePosixPath(name).parts
            for i in range(1, len(parts)):
                d = "/".join(parts[:i])
                if d not in dirs_done:
                    dirs_done.add(d)
                    tar.addfile(_info(d, tarfile.DIRTYPE, 0o755, 0))
            data = files[name]
            mode = 0o755 if name in executable else 0o644
            tar.addfile(_info(name, tarfile.REGTYPE, mode, len(data)), io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def archive_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def read_files(data: bytes) -> dict[str, bytes]:
    """`{path: bytes}` of every regular file in a tar.gz, checked like `extract`.

    An archive whose files all sit in one top-level directory holding `akua.toml`
    (what `tar czf web.tgz web/` makes) is read as if that directory were the root.
    """
    files: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
            for member in tar:
                name = _safe_name(member)
                if name is None:
                    continue
                total += member.size
                if len(files) >= MAX_FILES or total > MAX_TOTAL_BYTES:
                    raise ArchiveError(
                        f"archive is too large (more than {MAX_FILES} files or "
                        f"{MAX_TOTAL_BYTES // (1024 * 1024)} MB)"
                    )
                fh = tar.extractfile(member)
                files[name] = fh.read() if fh else b""
    except (tarfile.TarError, EOFError, OSError, gzip.BadGzipFile) as exc:
        raise ArchiveError(f"not a readable .tar.gz archive: {exc}") from None
    return _strip_single_root(files)


def extract(data: bytes, dest: Path | str) -> Path:
    """Unpack a tar.gz (checked by `read_files`) into `dest`; returns `dest`."""
    dest = Path(dest)
    write_files(read_files(data), dest)
    return dest


def write_files(files: dict[str, bytes], dest: Path | str) -> None:
    """Write `{relative path: bytes}` under `dest`, refusing anything that escapes it."""
    dest = Path(dest).resolve()
    for name, content in files.items():
        _check_member_name(name)
        target = (dest / name).resolve()
        if not target.is_relative_to(dest):
            raise ArchiveError(f"{name}: path escapes the package directory")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _walk(src: Path):
    for root, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_NAMES)
        for d in dirnames:
            if (Path(root) / d).is_symlink():
                raise ArchiveError(
                    f"{Path(root, d).relative_to(src)}: symbolic links are not allowed in a package"
                )
        for name in sorted(filenames):
            if name in SKIP_NAMES or name.endswith(".pyc"):
                continue
            path = Path(root) / name
            if path.is_symlink():
                raise ArchiveError(
                    f"{path.relative_to(src)}: symbolic links are not allowed in a package"
                )
            if path.is_file():
                yield path


def _info(name: str, kind: bytes, mode: int, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.size = size
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _check_member_name(name: str) -> None:
    p = PurePosixPath(name)
    if not name or p.is_absolute() or ".." in p.parts or "\\" in name or "\x00" in name:
        raise ArchiveError(f"{name!r}: unsafe path in archive")


def _safe_name(member: tarfile.TarInfo) -> str | None:
    """The normalised path of a regular file, None for directories; refuses anything else."""
    name = member.name
    while name.startswith("./"):
        name = name[2:]
    name = name.rstrip("/")
    if member.isdir() or name in ("", "."):
        if name:
            _check_member_name(name)
        return None
    _check_member_name(name)
    if member.issym() or member.islnk():
        raise ArchiveError(f"{name}: links are not allowed in a package archive")
    if not member.isfile():
        raise ArchiveError(f"{name}: only regular files are allowed in a package archive")
    return name


def _strip_single_root(files: dict[str, bytes]) -> dict[str, bytes]:
    if not files or "akua.toml" in files:
        return files
    roots = {name.split("/", 1)[0] for name in files}
    if len(roots) == 1:
        root = roots.pop()
        if f"{root}/akua.toml" in files:
            return {name[len(root) + 1 :]: data for name, data in files.items()}
    return files
