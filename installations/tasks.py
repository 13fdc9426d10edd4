"""django-q2 tasks of installations: thin wrappers that take IDs and call actions.

`enqueue_render` is the one place a render task is sent, so tests can patch it.
"""

from __future__ import annotations

from django.conf import settings
from django_q.tasks import async_task

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
