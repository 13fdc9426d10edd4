"""What every fetcher shares: the result type, the network time limit, and safe chart unpacking."""

from __future__ import annotations

import io
import re
import stat
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from akua.packaging.errors import PackagingError

# Seconds any one network operation may wait before the fetch fails. There are no retries.
NETWORK_TIMEOUT = 30
# A chart archive larger than this, packed or unpacked, is refused rather than filling the disk.
MAX_CHART_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class FetchResult:
    """A dependency fetched into `path`: the version it resolved to, where from, and its digest."""

    path: Path
    version: str
    source: str
    digest: str


def prepare_dest(dest: Path) -> Path:
    """`dest` as a new, empty directory (its parent must exist)."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise PackagingError(f"cannot fetch into {dest}: it exists and is not empty")
    dest.mkdir(exist_ok=True)
    return dest


def unpack_chart(archive: bytes, dest: Path, *, what: str) -> None:
    """Unpack a chart `.tgz` so that its root (Chart.yaml) is `dest/`.

    Chart archives hold one top-level directory, `<chart>/`, which is stripped. Only regular
    files and directories are accepted: absolute paths, `..`, links and device files are refused,
    as is an archive that unpacks to more than MAX_CHART_BYTES.
    """
    dest = prepare_dest(dest)
    try:
        tar = tarfile.open(fileobj=io.BytesIO(archive), mode="r:*")
        members = tar.getmembers()
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise PackagingError(f"bad archive: {what} is not a valid chart .tgz ({exc})") from None

    with tar:
        files: list[tuple[tarfile.TarInfo, PurePosixPath]] = []
        tops: set[str] = set()
        total = 0
        for member in members:
            rel = _member_path(member.name, what)
            if rel is None:
                continue
            if not (member.isfile() or member.isdir()):
                raise PackagingError(
                    f"bad archive: {what} member {member.name!r} is a link or special file; "
                    "charts may only contain regular files and directories"
                )
            tops.add(rel.parts[0])
            total += member.size
            if total > MAX_CHART_BYTES:
                raise PackagingError(
                    f"bad archive: {what} unpacks to more than {MAX_CHART_BYTES // 2**20} MiB"
                )
            files.append((member, rel))
        if len(tops) != 1:
            found = ", ".join(sorted(tops)) or "nothing"
            raise PackagingError(
                f"bad archive: {what} must hold one top-level chart directory, found {found}"
            )

        for member, rel in files:
            inner = rel.parts[1:]
            if not inner:
                continue
            target = dest.joinpath(*inner)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            try:
                data = source.read() if source else b""
            except (tarfile.TarError, EOFError, OSError) as exc:
                raise PackagingError(
                    f"bad archive: {what} is truncated or corrupt ({exc})"
                ) from None
            target.write_bytes(data)
            executable = member.mode & stat.S_IXUSR
            target.chmod(0o755 if executable else 0o644)

    if not (dest / "Chart.yaml").is_file():
        raise PackagingError(f"bad archive: {what} has no Chart.yaml in its chart directory")


def _member_path(name: str, what: str) -> PurePosixPath | None:
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\\" in name:
        raise PackagingError(f"bad archive: {what} member {name!r} has an absolute or Windows path")
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if ".." in parts:
        raise PackagingError(f"bad archive: {what} member {name!r} points outside the chart")
    return PurePosixPath(*parts) if parts else None


def version_key(version: str) -> tuple:
    """Sort key that orders semantic versions (a leading `v` allowed); others sort last."""
    match = re.match(r"^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$", version)
    if not match:
        return (0, (), (), version)
    major, minor, patch, pre = match.groups()
    # A release sorts after its pre-releases; pre-release fields compare numerically when numeric.
    pre_key = (
        (1,)
        if pre is None
        else (0, *((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")))
    )
    return (1, (int(major), int(minor), int(patch)), pre_key, version)


def newest_first(versions) -> list[str]:
    return sorted(set(versions), key=version_key, reverse=True)
