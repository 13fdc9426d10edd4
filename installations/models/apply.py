"""What Akua applied to an installation's cluster (ApplyResult + InventoryEntry).

- `ApplyResult`: one apply of one render to the installation's cluster: the change set
  (entries `{subject, action, message}`, stored as `clusters.apply` returned it) and its
  outcome; which Helm hook event it ran (`event`), what waits for its objects to be
  healthy (`after_healthy`: post-install/upgrade hooks, removing the installation from the
  place it moved from, `previous_place`).
- `InventoryEntry`: one object an apply put on the cluster (or found unchanged, or found
  and left alone), with the configuration Akua applied (for drift and "unchanged"), whose
  it is (`ownership`, clusters.ownership) and the health the monitor last read. The
  inventory of an installation is the entries of its latest ApplyResult; pruning compares
  it with the next render's objects (`installations.deploy.apply`).
- `Adoption`: a person chose to let the installation take over an object that existed
  before it (recorded; adopted objects are not deleted by uninstall unless chosen).
"""

from __future__ import annotations

from functools import partial

from django.db import models

from akua.ids import new_id
from akua.models import optional_link, person, prefixed_id

new_apply_id = partial(new_id, "apl")


class AfterHealthy(models.TextChoices):
    PENDING = "pending", "Waiting for health"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ApplyResult(models.Model):
    AfterHealthy = AfterHealthy

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Failed"
        DELETED = "deleted", "Deleted"  # the installation's objects were removed

    id = prefixed_id(new_apply_id)
    installation = models.ForeignKey(
        "installations.Installation", on_delete=models.CASCADE, related_name="applies"
    )
    render = optional_link("installations.Render", related_name="applies")
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="applies"
    )
    namespace = models.CharField(max_length=63, blank=True)
    commit_sha = models.CharField(max_length=40, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RUNNING)
    force = models.BooleanField(default=False)
    entries = models.JSONField(
        default=list, help_text="The change set: [{subject, action, message}], as returned."
    )
    message = models.TextField(blank=True)
    requested_by = person()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    event = models.CharField(
        max_length=16, blank=True, help_text="The Helm hook event: install or upgrade."
    )
    after_healthy = models.CharField(
        max_length=16,
        choices=AfterHealthy.choices,
        blank=True,
        help_text="Post-install/upgrade hooks and the removal from the place the installation "
        "moved from, run once its objects are healthy.",
    )
    previous_place = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The apply in the cluster/namespace the installation moved from; its objects "
        "are removed once this apply's objects are healthy.",
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["installation", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.id} {self.state}"

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for entry in self.entries:
            out[entry["action"]] = out.get(entry["action"], 0) + 1
        return out


class ClusterObject(models.Model):
    """One Kubernetes object, named as the cluster names it."""

    api_version = models.CharField(max_length=200)
    kind = models.CharField(max_length=100)
    namespace = models.CharField(max_length=253, blank=True)
    name = models.CharField(max_length=253)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.subject

    @property
    def subject(self) -> str:
        return "/".join(p for p in (self.kind, self.namespace, self.name) if p)

    @property
    def ref(self):
        from clusters.client import ObjectRef

        return ObjectRef(self.api_version, self.kind, self.namespace, self.name)


class InventoryEntry(ClusterObject):
    apply = models.ForeignKey(ApplyResult, on_delete=models.CASCADE, related_name="inventory")
    installation = models.ForeignKey(
        "installations.Installation", on_delete=models.CASCADE, related_name="inventory"
    )
    position = models.PositiveIntegerField(default=0, help_text="Order of apply.")
    action = models.CharField(max_length=16, blank=True)
    message = models.TextField(blank=True)
    applied = models.JSONField(default=dict, help_text="The configuration Akua applied.")
    applied_hash = models.CharField(max_length=64, blank=True)
    prune_disabled = models.BooleanField(default=False)
    ownership = models.CharField(
        max_length=16,
        default="owned",
        help_text="owned (created by Akua), adopted, existing (found, left alone), crd (a "
        "chart's CRD: never changed or deleted), namespace (created by Akua, shared).",
    )
    # What the monitor read last.
    health = models.CharField(max_length=16, blank=True)
    health_message = models.TextField(blank=True)
    drift = models.JSONField(default=list, blank=True, help_text="[{path, applied, live, manager}]")
    observed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["installation", "apply"])]
        verbose_name_plural = "inventory entries"


class Adoption(ClusterObject):
    """A person chose to let `installation` manage an object that existed before it."""

    installation = models.ForeignKey(
        "installations.Installation", on_delete=models.CASCADE, related_name="adoptions"
    )
    cluster = models.ForeignKey("clusters.Cluster", on_delete=models.CASCADE, related_name="+")
    adopted_by = person()
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["adopted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "cluster", "api_version", "kind", "namespace", "name"],
                name="one_adoption_per_object",
            )
        ]
