"""SensitiveInput: the encrypted value behind an `akua-secret:` marker in an installation's inputs.yaml."""

from __future__ import annotations

from django.db import models

from akua import crypto
from akua.models import person


class SensitiveInput(models.Model):
    """One value a sensitive input (`x-ui.sensitive`) has had; git holds only its marker.

    A row per (installation, path, marker): setting a new value adds a row and keeps the
    old ones, so restoring an old render (whose inputs.yaml names an old marker) renders
    with the value it had. The value is Fernet-encrypted (akua.crypto); it is decrypted only
    by the render task (installations.sensitive) and never shown, logged or committed.
    """

    installation = models.ForeignKey(
        "installations.Installation", on_delete=models.CASCADE, related_name="sensitive_inputs"
    )
    path = models.CharField(max_length=300, help_text="Input path, e.g. db.password.")
    marker = models.CharField(max_length=100, help_text="What inputs.yaml holds instead.")
    value_encrypted = models.BinaryField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = person(related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "path", "marker"], name="installations_one_secret_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.installation_id} {self.path} {self.marker}"

    def decrypt(self) -> str:
        return crypto.decrypt(self.value_encrypted)
