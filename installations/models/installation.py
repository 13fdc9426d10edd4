"""An installation: one package version landed for one customer, with its own git repository."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import models

from akua.ids import new_id
from akua.models import Stamped, optional_link, person, prefixed_id

new_installation_id = partial(new_id, "inst")


class Installation(Stamped):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        RENDERING = "rendering", "Rendering"
        SYNCING = "syncing", "Syncing"
        HEALTHY = "healthy", "Healthy"
        DEGRADED = "degraded", "Degraded"
        FAILED = "failed", "Failed"
        UNKNOWN = "unknown", "Unknown"  # its cluster does not answer (installations.deploy)
        DELETED = "deleted", "Deleted"

    id = prefixed_id(new_installation_id)
    name = models.CharField(max_length=100)
    workspace = models.ForeignKey(
        "catalog.Workspace",
        on_delete=models.PROTECT,
        related_name="vendor_installations",
        help_text="The vendor workspace whose package this is.",
    )
    customer_workspace = models.ForeignKey(
        "catalog.Workspace",
        on_delete=models.PROTECT,
        related_name="installations",
        help_text="The workspace that owns and sees this installation.",
    )
    package_version = models.ForeignKey(
        "catalog.PackageVersion", on_delete=models.PROTECT, related_name="installations"
    )
    cluster = optional_link(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="installations"
    )
    namespace = models.CharField(max_length=63, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    state_reason = models.TextField(
        blank=True, help_text="Why the state is what it is; the last error."
    )
    reconciling = models.BooleanField(
        default=False, help_text="A render or rollout is queued or running."
    )
    auto_update = models.BooleanField(
        default=False, help_text="Move to new package versions automatically."
    )
    # Render requests: each request bumps render_generation; a render task works on the
    # newest generation and a queued task for an older generation is superseded.
    render_generation = models.PositiveIntegerField(default=0)
    render_claimed_at = models.DateTimeField(null=True, blank=True)
    # Set while an apply or uninstall of this installation writes to its cluster
    # (installations.deploy.claims); a claim older than the task timeout is stale.
    apply_claimed_at = models.DateTimeField(null=True, blank=True)
    created_by = person()

    class Meta(Stamped.Meta):
        constraints = [
            # A deleted installation's name can be used again (its repository is kept by id).
            models.UniqueConstraint(
                fields=["customer_workspace", "name"],
                condition=~models.Q(state="deleted"),
                name="unique_installation_name",
            )
        ]
        indexes = [models.Index(fields=["package_version", "state"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"

    @property
    def repo_path(self) -> Path:
        """The bare git repository: AKUA_DATA_DIR/repos/<customer workspace slug>/<id>.git."""
        return settings.REPOS_DIR / self.customer_workspace.slug / f"{self.id}.git"
