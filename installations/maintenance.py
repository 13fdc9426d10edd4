"""Repository maintenance: pack the loose objects of the installations' repositories.

Every commit writes loose objects (one file each, a 4 KiB block at least) and `gc.auto`
is off, so without this a repository only grows by files. The daily task
`installations.tasks.maintain_repositories` (schedule `installations: maintain
repositories`, migration 0008) and `manage.py maintain_repositories` call
`maintain_repositories`, which runs `Repository.maintain` (under the repository's write
lock) on every repository with more than `REPO_MAINTAIN_LOOSE_OBJECTS` loose objects,
deleted installations' read-only repositories included.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings

from installations.models import Installation
from installations.repository import Repository, RepositoryError

logger = logging.getLogger(__name__)


@dataclass
class MaintenanceReport:
    checked: int = 0
    maintained: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "checked": self.checked,
            "maintained": self.maintained,
            "bytes_before": self.bytes_before,
            "bytes_after": self.bytes_after,
            "failed": self.failed,
        }

    def __str__(self) -> str:
        text = (
            f"{self.checked} repositories checked, {self.maintained} packed "
            f"({self.bytes_before / 1024:.0f} KiB -> {self.bytes_after / 1024:.0f} KiB)"
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
            if repo.loose_objects() <= min_loose:
                continue
            done = repo.maintain()
        except RepositoryError:  # one repository's problem must not stop the others
            logger.exception("maintenance of %s failed", installation.pk)
            report.failed.append(installation.pk)
            continue
        report.maintained += 1
        report.bytes_before += done.bytes_before
        report.bytes_after += done.bytes_after
    return report
