"""django-q2 task bodies of installations: thin wrappers that take IDs and call actions.

Tasks are sent from `installations.enqueue` (one place per kind). The monitor schedule
(`installations.tasks.monitor_installations`, every minute) is created by the installations
migration that creates ApplyResult/InventoryEntry (django-q2 schedules have minute
granularity); the daily repository maintenance (`installations.tasks.maintain_repositories`)
by `0008_maintenance_schedule`. `auto_update_installations` is sent when a package version
is published (the `catalog.signals.package_version_published` receiver in installations.apps).
The dotted names are stored in queued tasks and schedules: keep them.
"""

from __future__ import annotations

from installations import maintenance
from installations.actions import render, upgrade
from installations.deploy import after, apply, monitor


def render_installation(render_id: str) -> None:
    render.run_render(render_id)


def apply_installation(
    installation_id: str, render_id: str, force: bool = False, user_id=None
) -> None:
    apply.run_apply(installation_id, render_id, force=force, user_id=user_id)


def finish_apply(apply_id: str) -> None:
    """Post-install/upgrade hooks and a move's old place removed, once the apply is healthy."""
    after.finish_apply(apply_id)


def monitor_installations() -> int:
    return monitor.monitor()


def auto_update_installations(package_version_id: str) -> dict:
    return upgrade.auto_update_installations(package_version_id)


def maintain_repositories() -> dict:
    """The daily pass: pack the repositories with many loose objects (installations.maintenance)."""
    return maintenance.maintain_repositories().as_dict()
