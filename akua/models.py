"""What the apps' models declare alike, written once.

- `prefixed_id`: the primary key, `<prefix>_…` from a module-level function (akua.ids),
  never edited; the function stays where migrations name it.
- `optional_link`: a foreign key that may be empty (null in the database, blank in forms).
- `person`: who did something. The account may be deleted later; the record stays, the
  link becomes empty.
- `Stamped`: when a row was created and last changed; lists show the newest first.
- `NamedInWorkspace`: a workspace's thing known by its name (a package, a source, a
  cluster): the name is unique in the workspace, lists sort by it, it is what is shown.

Each gives Django what the spelled-out declaration gave, so migrations see no change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


def prefixed_id(default, *, max_length: int = 40) -> models.CharField:
    return models.CharField(
        primary_key=True, max_length=max_length, default=default, editable=False
    )


def optional_link(to, *, on_delete=models.SET_NULL, **kwargs) -> models.ForeignKey:
    return models.ForeignKey(to, null=True, blank=True, on_delete=on_delete, **kwargs)


def person(**kwargs) -> models.ForeignKey:
    return optional_link(settings.AUTH_USER_MODEL, **kwargs)


class NamedInWorkspace(models.Model):
    """Needs a `workspace` and a `name` field on the model."""

    class Meta:
        abstract = True
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="unique_%(class)s_name")
        ]

    def __str__(self) -> str:
        return self.name


class Stamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]
