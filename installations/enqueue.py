"""Where installations' django-q2 tasks are sent: the one place each kind is enqueued.

Actions and the deploy side import this module (never `installations.tasks`, whose task
bodies import them), so sending a task needs no deferred import. Tests replace
`enqueue_render` / `enqueue_apply` here to hold tasks back.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from installations.models import Render


def _send(task: str, *args, name: str, group: str, **kwargs) -> str:
    """`async_task` of `installations.tasks.<task>`, run inline when Q_CLUSTER["sync"] is on
    (tests, benches, the demo)."""
    return async_task(
        f"installations.tasks.{task}",
        *args,
        **kwargs,
        task_name=name,
        group=group,
        sync=bool(settings.Q_CLUSTER.get("sync")),
    )


def enqueue_render(render_id: str) -> str:
    """Send the render task for `render_id` and note its task id on the render."""
    task_id = _send("render_installation", render_id, name=f"render {render_id}", group="renders")
    Render.objects.filter(pk=render_id, task_id="").update(task_id=task_id or "")
    return task_id


def enqueue_apply(
    installation_id: str, render_id: str, *, force: bool = False, user_id=None
) -> str:
    return _send(
        "apply_installation",
        installation_id,
        render_id,
        force=force,
        user_id=user_id,
        name=f"apply {installation_id} {render_id}",
        group="applies",
    )


def enqueue_apply_later(
    installation_id: str, render_id: str, seconds: int, *, force: bool = False, user_id=None
) -> None:
    """Send the apply task in `seconds` (a one-off django-q2 schedule; at most one waits
    per installation): a forced re-apply that found another apply running."""
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


def enqueue_finish_apply(apply_id: str) -> str:
    """Send the task that runs what waits for an apply's health (installations.deploy.after)."""
    return _send("finish_apply", apply_id, name=f"finish apply {apply_id}", group="applies")


def enqueue_auto_update(package_version_id: str) -> str:
    """Send the auto-update task for a newly published version (installations.apps)."""
    return _send(
        "auto_update_installations",
        package_version_id,
        name=f"auto-update to {package_version_id}",
        group="auto-updates",
    )
