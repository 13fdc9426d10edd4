"""Repository maintenance: pack the loose objects of the installations' repositories, and
sweep what killed pushes left behind.

Every commit writes loose objects (one file each, a 4 KiB block at least) and `gc.auto`
is off, so without this a repository only grows by files. The daily task
`installations.tasks.maintain_repositories` (schedule `installations: maintain
repositories`, migration 0008) and `manage.py maintain_repositories` call
`maintain_repositories`, which runs `Repository.maintain` (under the repository's write
lock) on every repository with more than `REPO_MAINTAIN_LOOSE_OBJECTS` loose objects,
deleted installations' read-only repositories included.

Every repository is also swept (`Repository.sweep_leftovers`): a push whose web worker was
killed leaves its quarantine directory, half-written packs and lock files behind (a stale
`refs/heads/main.lock` would refuse every later push), and the request's temporary
directories (`akua-hook-*`, `akua-push-*`) in the system temporary directory. Only what
has not changed for `LEFTOVER_AGE` goes: no push lasts that long (its pack is limited by
AKUA_GIT_MAX_PACK_MB, its checks by the hook's timeout).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings

from installations.models import Installation
from installations.repository import Repository, RepositoryError

logger = logging.getLogger(__name__)

LEFTOVER_AGE = 60 * 60  # seconds
# The temporary directories a push request makes (installations.git.hooks, .checks).
TEMP_PREFIXES = ("akua-hook-", "akua-push-")


@dataclass
class MaintenanceReport:
    checked: int = 0
    maintained: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    swept: int = 0  # leftovers removed from repositories
    swept_temp: int = 0  # push requests' temporary directories removed
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        text = (
            f"{self.checked} repositories checked, {self.maintained} packed "
            f"({self.bytes_before / 1024:.0f} KiB -> {self.bytes_after / 1024:.0f} KiB), "
            f"{self.swept + self.swept_temp} leftovers of interrupted pushes removed"
        )
        if self.failed:
            text += f"; failed: {', '.join(self.failed)}"
        return text


def maintain_repositories(min_loose: int | None = None) -> MaintenanceReport:
    """Pack every repository with more than `min_loose` loose objects (default: the
    REPO_MAINTAIN_LOOSE_OBJECTS setting; 0 packs any repository with a loose object)."""
    if min_loose is None:
        min_loose = settings.REPO_MAINTAIN_LOOSE_OBJECTS
    report = MaintenanceReport()
    for installation in Installation.objects.select_related("customer_workspace").only(
        "id", "customer_workspace__slug"
    ):
        repo = Repository(installation.repo_path)
        if not repo.exists():
            continue
        report.checked += 1
        try:
            swept = repo.sweep_leftovers(LEFTOVER_AGE)
            if swept:
                logger.info("removed from %s: %s", installation.pk, ", ".join(swept))
            report.swept += len(swept)
            if repo.loose_objects() <= min_loose:
                continue
            done = repo.maintain()
        except (RepositoryError, OSError):  # one repository's problem must not stop the others
            logger.exception("maintenance of %s failed", installation.pk)
            report.failed.append(installation.pk)
            continue
        report.maintained += 1
        report.bytes_before += done.bytes_before
        report.bytes_after += done.bytes_after
    report.swept_temp = sweep_temp_dirs(LEFTOVER_AGE)
    return report


def sweep_temp_dirs(older_than: float) -> int:
    """Remove push requests' temporary directories older than `older_than` seconds."""
    cutoff, removed = time.time() - older_than, 0
    for prefix in TEMP_PREFIXES:
        for path in Path(tempfile.gettempdir()).glob(prefix + "*"):
            try:
                if path.is_dir() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                    shutil.rmtree(path)
                    removed += 1
            except OSError:
                continue
    return removed
