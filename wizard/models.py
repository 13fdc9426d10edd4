"""The wizard's own state: drafts of the form being filled.

- `Draft`: what a person has typed so far, server-side, so closing the tab loses nothing.
  One per (user, package version) for a new installation, one per (user, installation)
  for an edit. `data` never holds a sensitive value in plain text: those are in `secrets`
  (Fernet, akua.crypto) and `data` holds their `akua-secret:sha256:…` marker until confirm
  hands them to `installations.actions.set_sensitive_inputs`. Inputs applied from the
  YAML view also keep the text typed (`yaml_text`, markers in place of sensitive values):
  confirm commits it as written (`installations.actions.update_inputs_text` for an edit,
  `create_installation(inputs_text=)` for a new installation).

Vendor locks and defaults are the installation domain's (`installations.FieldOverride`):
every door that changes inputs checks them, not only the wizard. The stored value of a
confirmed sensitive input is `installations.SensitiveInput`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from akua.models import optional_link


class Draft(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wizard_drafts"
    )
    package_version = models.ForeignKey(
        "catalog.PackageVersion", on_delete=models.CASCADE, related_name="wizard_drafts"
    )
    installation = optional_link(
        "installations.Installation",
        on_delete=models.CASCADE,
        related_name="wizard_drafts",
        help_text="Set for an edit of an existing installation's inputs.",
    )
    data = models.JSONField(default=dict, help_text="The values typed so far (nested).")
    secrets = models.BinaryField(default=b"", help_text="Fernet token of {field: value}.")
    step = models.CharField(max_length=100, blank=True, help_text="Where to resume.")
    visited = models.JSONField(default=list)
    # New installations only: where and under which name.
    name = models.CharField(max_length=100, blank=True)
    customer_workspace = optional_link(
        "catalog.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    # Edits only: the head commit the draft started from (update_inputs' base_sha).
    base_sha = models.CharField(max_length=64, blank=True)
    yaml_text = models.TextField(
        blank=True,
        help_text="inputs.yaml as typed in the YAML view, committed as written.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "package_version"],
                condition=models.Q(installation__isnull=True),
                name="wizard_one_new_draft_per_version",
            ),
            models.UniqueConstraint(
                fields=["user", "installation"],
                condition=models.Q(installation__isnull=False),
                name="wizard_one_edit_draft_per_installation",
            ),
        ]

    def __str__(self) -> str:
        what = self.installation_id or self.package_version_id
        return f"Draft of {self.user} for {what}"
