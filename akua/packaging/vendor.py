"""Vendoring: fetch each non-path dependency once, pin it by digest in akua.lock, keep it local.

Where a dependency lives: `upstream/<alias>/` when the package author committed it there (it
wins), else Akua's own `.akua/vendor/<alias>/`. Rendering uses these copies and never fetches.

What the digest is:
  - helm (HTTP repository) and oci charts: the sha256 of the chart `.tgz` exactly as fetched,
    the same value a repository index's `digest` and an OCI manifest's chart layer carry, so a
    pin can be checked against upstream metadata. The vendor directory holds the unpacked chart.
  - git: `tree_digest` of the fetched directory (the commit's tree, or its `subdir`); the
    resolved commit sha is recorded as the version.

When it is checked:
  - Every fetch is checked against the pin: `digest` in akua.toml if set, else the akua.lock
    entry if it still describes this dependency (same source, and for charts the same version).
    With neither, the fetched digest is recorded. A mismatch is an error and nothing is written.
  - An already vendored copy is checked against akua.lock without the network: the entry must
    exist, describe the dependency and agree with akua.toml's digest. A git copy must still have
    the locked tree digest. A chart copy must carry the locked version in its Chart.yaml; its
    `.tgz` digest cannot be recomputed from unpacked files, and those files are guarded by the
    package repository's own history.
  - A vendored copy with no usable lock entry (new, or akua.toml changed): `.akua/vendor/<alias>/`
    is Akua's cache, so it is fetched again; `upstream/<alias>/` belongs to the author, so the
    dependency is fetched to a scratch directory and must match it by tree digest before it is
    recorded.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml

from akua.packaging import yamlio
from akua.packaging.digest import tree_digest
from akua.packaging.errors import PackagingError
from akua.packaging.fetch import FetchResult, fetch
from akua.packaging.lock import LOCK_FILE, LockEntry, read_lock, write_lock
from akua.packaging.manifest import MANIFEST_FILE, Dependency, load_manifest

VENDOR_DIR = Path(".akua") / "vendor"
UPSTREAM_DIR = Path("upstream")


def vendored_path(package_dir: Path, alias: str) -> Path | None:
    """The vendored copy of `alias`, `upstream/<alias>/` first, or None when there is none."""
    for base in (UPSTREAM_DIR, VENDOR_DIR):
        candidate = Path(package_dir) / base / alias
        if candidate.is_dir():
            return candidate
    return None


def vendor_dependency(package_dir: Path, dep: Dependency) -> Path:
    """Fetch `dep` into `.akua/vendor/<alias>/`, check it against its pin, record it in akua.lock."""
    package_dir = Path(package_dir)
    lock = read_lock(package_dir)
    target = _fetch_into_vendor(package_dir, dep, lock)
    write_lock(package_dir, lock)
    return target


def vendor_all(package_dir: Path) -> list[LockEntry]:
    """Vendor every non-path dependency of the package; return their lock entries in akua.toml order.

    Copies already vendored are checked against akua.lock, not fetched again. Lock entries of
    dependencies no longer in akua.toml are dropped.
    """
    package_dir = Path(package_dir)
    manifest = load_manifest(package_dir)
    deps = [dep for dep in manifest.dependencies.values() if dep.kind != "path"]
    old = read_lock(package_dir)
    lock = {dep.alias: old[dep.alias] for dep in deps if dep.alias in old}
    unchanged = dict(lock) == old and (Path(package_dir) / LOCK_FILE).is_file()
    try:
        for dep in deps:
            existing = vendored_path(package_dir, dep.alias)
            entry = lock.get(dep.alias)
            if existing is not None and entry is not None and _describes(entry, dep):
                _check_vendored(package_dir, dep, existing, entry)
            elif existing is not None and existing.parent.name == UPSTREAM_DIR.name:
                _record_upstream(package_dir, dep, existing, lock)
            else:
                _fetch_into_vendor(package_dir, dep, lock)
    finally:
        # What was vendored before a failure stays recorded; entries of removed dependencies
        # go. A lock that still says the same is left as it is, byte for byte.
        if not (unchanged and lock == old):
            write_lock(package_dir, lock)
    return [lock[dep.alias] for dep in deps]


def _fetch_into_vendor(package_dir: Path, dep: Dependency, lock: dict[str, LockEntry]) -> Path:
    pin, pinned_by = _pin(dep, lock.get(dep.alias))
    vendor_root = package_dir / VENDOR_DIR
    vendor_root.mkdir(parents=True, exist_ok=True)
    target = vendor_root / dep.alias
    scratch = Path(tempfile.mkdtemp(prefix=f".{dep.alias}-", dir=vendor_root))
    try:
        result = fetch(dep, scratch / "new")
        _check_pin(dep, result, pin, pinned_by)
        if target.exists():
            target.rename(scratch / "old")
        (scratch / "new").rename(target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    lock[dep.alias] = _entry(lock.get(dep.alias), dep, result)
    return target


def _entry(old: LockEntry | None, dep: Dependency, result: FetchResult) -> LockEntry:
    """The entry for what was fetched; an entry that already described it keeps its source
    string and its other fields (signature, ...), so Akua's own lock is not rewritten."""
    if old is not None and _describes(old, dep) and old.digest == result.digest:
        return old
    return LockEntry(dep.alias, result.version, result.source, result.digest)


def _record_upstream(
    package_dir: Path, dep: Dependency, existing: Path, lock: dict[str, LockEntry]
) -> None:
    """Lock an author-vendored `upstream/<alias>/` after proving it matches what its source serves."""
    pin, pinned_by = _pin(dep, None)
    with tempfile.TemporaryDirectory(prefix="akua-check-") as scratch:
        result = fetch(dep, Path(scratch) / dep.alias)
        _check_pin(dep, result, pin, pinned_by)
        if tree_digest(result.path) != tree_digest(existing):
            raise PackagingError(
                f"dependency {dep.alias!r}: {_rel(package_dir, existing)} differs from "
                f"{dep.source} {result.version}; replace it with the fetched copy, or delete it "
                "and let Akua vendor the dependency",
                file=str(package_dir / MANIFEST_FILE),
            )
    lock[dep.alias] = _entry(lock.get(dep.alias), dep, result)


def _check_vendored(package_dir: Path, dep: Dependency, existing: Path, entry: LockEntry) -> None:
    where = _rel(package_dir, existing)
    redo = (
        f"delete {where} and vendor again"
        if existing.parent.name != UPSTREAM_DIR.name
        else f"restore {where} from version control, or delete it and vendor again"
    )
    if dep.digest and dep.digest != entry.digest:
        raise _mismatch(dep, entry.version, dep.digest, "akua.toml", entry.digest, f"{LOCK_FILE}")

    def changed(what: str) -> PackagingError:
        return PackagingError(
            f"dependency {dep.alias!r}: {what}; {redo}", file=str(package_dir / LOCK_FILE)
        )

    if dep.kind == "git":
        got = tree_digest(existing)
        if got != entry.digest:
            raise changed(
                f"the vendored copy in {where} was changed: "
                f"{LOCK_FILE} pins {entry.digest}, the files hash to {got}"
            )
        return
    chart_version = _chart_version(existing)
    if chart_version != entry.version:
        raise changed(
            f"{where} holds chart version {chart_version or 'unknown'} "
            f"but {LOCK_FILE} pins {entry.version}"
        )


def _describes(entry: LockEntry, dep: Dependency) -> bool:
    """Whether a lock entry was made for this dependency as akua.toml states it now."""
    if not dep.recorded_as(entry.source):
        return False
    return dep.kind == "git" or entry.version == dep.version


def _pin(dep: Dependency, entry: LockEntry | None) -> tuple[str | None, str | None]:
    if dep.digest:
        return dep.digest, MANIFEST_FILE
    if entry is not None and _describes(entry, dep):
        return entry.digest, LOCK_FILE
    return None, None


def _check_pin(
    dep: Dependency, result: FetchResult, pin: str | None, pinned_by: str | None
) -> None:
    if pin is not None and result.digest != pin:
        raise _mismatch(dep, result.version, pin, pinned_by, result.digest, "the fetched copy")


def _mismatch(dep, version, expected, expected_from, got, got_from) -> PackagingError:
    return PackagingError(
        f"digest mismatch for dependency {dep.alias!r} ({dep.source} {version}): "
        f"{expected_from} pins {expected}, {got_from} is {got}. Nothing was vendored. "
        f"If the upstream change is expected, remove the pin (digest in {MANIFEST_FILE}, "
        f"the {dep.alias!r} entry in {LOCK_FILE}) and vendor again; otherwise do not use this source"
    )


def _chart_version(chart_dir: Path) -> str | None:
    try:
        data = yamlio.load((chart_dir / "Chart.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    version = data.get("version") if isinstance(data, dict) else None
    return str(version) if version is not None else None


def _rel(package_dir: Path, path: Path) -> str:
    try:
        return path.relative_to(package_dir).as_posix() + "/"
    except ValueError:
        return str(path)
