"""Requesting a render: every action that changes the repository ends here."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from installations import enqueue
from installations.actions.errors import check_not_deleted
from installations.actions.head import author_for
from installations.models import Installation, Render
from installations.repository import Signature


def request_render(
    installation: Installation,
    *,
    trigger: str,
    user=None,
    restored_from: Render | None = None,
    author: Signature | None = None,
) -> Render:
    """Queue a render of the head; a newer request supersedes this one while it is queued.

    `author` is recorded on the Render when it is not `user` (a git push: the pushed
    commit's author).
    """
    check_not_deleted(installation)
    author = author or author_for(user)
    with transaction.atomic():
        Installation.objects.filter(pk=installation.pk).update(
            render_generation=F("render_generation") + 1, reconciling=True
        )
        installation.refresh_from_db(fields=["render_generation", "reconciling", "package_version"])
        render = Render.objects.create(
            installation=installation,
            generation=installation.render_generation,
            trigger=trigger,
            package_version_id=installation.package_version_id,
            restored_from=restored_from,
            requested_by=user,
            author_name=author.name,
            author_email=author.email,
            message="Queued",
        )
        render_id = render.id
        transaction.on_commit(lambda: enqueue.enqueue_render(render_id))
    return render
