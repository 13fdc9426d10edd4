"""What follows an accepted push: a render for `main`, a change request for `review/<name>`."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from installations.actions import request_render
from installations.git.change_requests import record_push
from installations.git.checks import RefUpdate
from installations.models import Installation, Render
from installations.repository import Repository


def accepted(installation: Installation, user, updates: list[RefUpdate]) -> list[str]:
    """Act on the updated refs; the lines returned are shown to the person who pushed."""
    messages = []
    site = settings.SITE_URL.rstrip("/")
    for update in updates:
        if update.is_main:
            commit = Repository(installation.repo_path).commit(update.new)
            render = request_render(
                installation, trigger=Render.Trigger.PUSH, user=user, author=commit.author
            )
            render.refresh_from_db()
            if render.state == Render.State.DEPLOYED and render.commit_sha != update.new:
                messages.append(
                    f"Akua: rendered as {render.commit_sha[:7]}; `git pull` to get manifests/."
                )
            elif render.is_finished:
                messages.append(f"Akua: render {render.id}: {render.message}")
            else:
                messages.append(
                    f"Akua: render {render.id} queued; `git pull` in a moment to get manifests/."
                )
        elif update.is_review:
            cr = record_push(installation, update.branch, update.new, user)
            url = site + reverse("change_request", args=[installation.pk, cr.pk])
            messages.append(f"Akua: change request {cr.branch} is waiting for review: {url}")
    return messages
