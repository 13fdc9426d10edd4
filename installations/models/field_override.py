"""FieldOverride: a vendor's say over one input of its package — locked, and/or a default."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from akua.models import optional_link
from installations import input_schema


class FieldOverride(models.Model):
    """Set by the vendor in the admin, for a package (all its installations) or one
    installation: lock an input (every door refuses a change, `installations.overrides`)
    and/or give it a default for new and edited forms. An installation's own row wins
    over the package's for the same input."""

    package = models.ForeignKey(
        "catalog.Package", on_delete=models.CASCADE, related_name="field_overrides"
    )
    installation = optional_link(
        "installations.Installation",
        on_delete=models.CASCADE,
        related_name="field_overrides",
        help_text="Empty: every installation of the package.",
    )
    field = models.CharField(
        max_length=300,
        help_text='Path of the input, e.g. image.tag, replicas or config."grafana.ini".port.',
    )
    locked = models.BooleanField(
        default=False, help_text="The customer sees the value but cannot change it."
    )
    has_value = models.BooleanField(
        default=False, verbose_name="Set a value", help_text="Use the value below."
    )
    value = models.JSONField(
        null=True, blank=True, help_text="JSON: the default (or, when locked, the fixed) value."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["package", "installation", "field"],
                name="installations_one_override_per_field",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field} ({'locked' if self.locked else 'default'})"

    def save(self, *args, **kwargs):
        self.field = input_schema.canonical(self.field)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Stored canonical, so the doors compare paths as strings."""
        try:
            self.field = input_schema.canonical(self.field)
        except input_schema.PathError as exc:
            raise ValidationError({"field": str(exc)}) from None
        if not self.field:
            raise ValidationError({"field": "Name an input."})
        if self.installation_id and self.installation.package_version.package_id != self.package_id:
            raise ValidationError({"installation": "This installation is of another package."})
