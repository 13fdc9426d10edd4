"""An installation's state and the claims its tasks take: the rules both the actions
(`installations.actions`, which render) and the deploy side (`installations.deploy`, which
applies and reads health) follow.

Both import this module and neither imports the other's internals, so there is no import
circle to break with a deferred import: `actions` may call `deploy` (a finished render
requests an apply, a deletion uninstalls), `deploy` never calls `actions`.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from installations.models import Installation, InstallationEvent, Render


def set_state(
    installation: Installation,
    state: str,
    reason: str = "",
    *,
    render: Render | None = None,
    actor=None,
) -> None:
    """The one way an installation's state changes; every change lands in its timeline."""
    previous, previous_reason = installation.state, installation.state_reason
    Installation.objects.filter(pk=installation.pk).update(
        state=state, state_reason=reason, updated_at=timezone.now()
    )
    installation.state, installation.state_reason = state, reason
    if previous != state or previous_reason != reason:
        InstallationEvent.objects.create(
            installation_id=installation.pk,
            from_state=previous,
            to_state=state,
            reason=reason,
            render=render,
            actor=actor,
        )


def claim_timeout() -> timedelta:
    """How old a task's claim on an installation (render or apply) must be to count as
    left by a dead worker: the task timeout and a minute."""
    return timedelta(seconds=int(settings.Q_CLUSTER.get("timeout") or 600) + 60)
