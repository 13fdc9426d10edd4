"""django-q2 tasks of installations: thin wrappers that take IDs and call actions.

`enqueue_render` is the one place a render task is sent, `enqueue_apply` the one place an
apply task is sent, so tests can patch them. The monitor schedule
(`installations.tasks.monitor_installations`, every minute) is created by the installations
migration that creates ApplyResult/InventoryEntry (django-q2 schedules have minute
granularity); the daily repository maintenance
(`installations.tasks.maintain_repositories`) by `0008_maintenance_schedule`.
`enqueue_apply_later` sends an apply again after a delay (a forced re-apply that found
another apply running). `enqueue_auto_update` is sent when a package version is published (the
`catalog.signals.package_version_published` receiver in installations.apps).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from installations.models import Render


def enqueue_render(render_id: str) -> str:
    """Send the render task for `render_id`; runs inline when Q_CLUSTER["sync"] is on."""
    task_id = async_task(
        "installations.tasks.render_installation",
        render_id,
        task_name=f"render {render_id}",
        group="renders",
        sync=bool(settings.Q_CLUSTER.get("sync")),
    )
    Render.objects.filter(pk=render_id, task_id="").update(task_id=task_id or "")
    return task_id


def render_installation(render_id: str) -> None:
    from installations.actions import run_render

    run_render(render_id)


def enqueue_apply(
    installation_id: str, render_id: str, *, force: bool = False, user_id=None
) -> str:
    return async_task(
        "installations.tasks.apply_installation",
        installation_id,
        render_id,
        force=force,
        user_id=user_id,
        task_name=f"apply {installation_id} {render_id}",
        group="applies",
        sync=bool(settings.Q_CLUSTER.get("sync")),
    )


def enqueue_apply_later(
    installation_id: str, render_id: str, seconds: int, *, force: bool = False, user_id=None
) -> None:
    """Send the apply task in `seconds` (a one-off django-q2 schedule; at most one waits
    per installation)."""
    name = f"apply {installation_id} later"
    if Schedule.objects.filter(name=name).exists():
        return
    schedule(
        "installations.tasks.apply_installation",
        installation_id,
        render_id,
        force=force,
        user_id=user_id,
        name=name,
        schedule_type=Schedule.ONCE,
        next_run=timezone.now() + timedelta(seconds=seconds),
    )


def apply_installation(
    installation_id: str, render_id: str, force: bool = False, user_id=None
) -> None:
    from installations.rollout import run_apply

    run_apply(installation_id, render_id, force=force, user_id=user_id)


def monitor_installations() -> int:
    from installations.rollout import monitor

    return monitor()


def enqueue_auto_update(package_version_id: str) -> str:
    """Send the auto-update task for a newly published version (installations.apps)."""
    return async_task(
        "installations.tasks.auto_update_installations",
        package_version_id,
        task_name=f"auto-update to {package_version_id}",
        group="auto-updates",
        sync=bool(settings.Q_CLUSTER.get("sync")),
    )


def auto_update_installations(package_version_id: str) -> dict:
    from installations.actions import auto_update_installations as run

    return run(package_version_id)


def maintain_repositories() -> dict:
    """The daily pass: pack the repositories with many loose objects (installations.maintenance)."""
    from installations.maintenance import maintain_repositories as run

    return run().as_dict()
