"""An InstallationEvent: one recorded state change of an installation, for its timeline."""

from __future__ import annotations

from django.db import models

from akua.models import optional_link, person


class InstallationEvent(models.Model):
    """Written only by `installations.actions.set_state`, never edited.

    `from_state == to_state` is allowed: a new reason for the same state (a second failed
    render) is still worth a line in the timeline.
    """

    installation = models.ForeignKey(
        "installations.Installation", on_delete=models.CASCADE, related_name="events"
    )
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    reason = models.TextField(blank=True)
    render = optional_link("installations.Render", related_name="events")
    actor = person()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["installation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.installation_id}: {self.from_state} -> {self.to_state}"
