"""A Render: one attempt to turn an installation's repository tree into manifests."""

from __future__ import annotations

from functools import partial

from django.db import models

from akua.ids import new_id
from akua.models import optional_link, person, prefixed_id

new_render_id = partial(new_id, "rnd")


class Render(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DEPLOYED = "deployed", "Deployed"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"
        SUPERSEDED = "superseded", "Superseded"

    class Trigger(models.TextChoices):
        INSTALL = "install", "Installed"
        INPUTS = "inputs", "Inputs changed"
        PUSH = "push", "Git push"
        RESTORE = "restore", "Restore"
        VERSION = "version", "Version change"
        MANUAL = "manual", "Re-render"

    id = prefixed_id(new_render_id)
    installation = models.ForeignKey(
        "installations.Installation", on_delete=models.CASCADE, related_name="renders"
    )
    generation = models.PositiveIntegerField(
        help_text="The installation's render_generation this render was requested as."
    )
    package_version = optional_link(
        "catalog.PackageVersion",
        on_delete=models.PROTECT,
        related_name="renders",
        help_text="The package version the installation was on when this render was requested.",
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    source_sha = models.CharField(
        max_length=40, blank=True, help_text="The commit whose tree was rendered."
    )
    commit_sha = models.CharField(
        max_length=40, blank=True, help_text="The commit holding the rendered manifests/."
    )
    render_hash = models.CharField(max_length=80, blank=True)
    message = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    restored_from = optional_link("self", related_name="restores")
    author_name = models.CharField(max_length=200, blank=True)
    author_email = models.CharField(max_length=200, blank=True)
    requested_by = person()
    task_id = models.CharField(max_length=64, blank=True)
    secret_manifests = models.BinaryField(
        default=b"",
        blank=True,
        editable=False,
        help_text="Fernet token of {manifests/<file>: yaml}: the unredacted Secrets (installations.sensitive).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["installation", "-created_at"]),
            models.Index(fields=["installation", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.state}"

    @property
    def is_finished(self) -> bool:
        return self.state not in (self.State.QUEUED, self.State.RUNNING)

    @property
    def manifests_sha(self) -> str:
        """The commit whose manifests/ are this render's output, or "" when there is none.

        A deployed render has its own commit; a skipped one produced exactly the manifests
        already in its source commit; a failed or superseded one produced nothing.
        """
        if self.state == self.State.DEPLOYED:
            return self.commit_sha
        if self.state == self.State.SKIPPED:
            return self.source_sha
        return ""
