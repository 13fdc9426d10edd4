"""An API token: a person's password for git over HTTP (and later the API), stored hashed.

The token itself (`akua_` + 43 URL-safe characters, 256 bits) is shown once when it is
made; the database keeps only its sha256, a short prefix to recognise it by, and its
scope. A token belongs to one workspace: it reaches that workspace's installations (a
customer's own, or a vendor's installations of its packages) and nothing else.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import partial

from django.conf import settings
from django.db import models
from django.utils import timezone

from akua.ids import new_id

TOKEN_PREFIX = "akua_"


new_token_id = partial(new_id, "tok")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def generate_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read (clone and fetch)"
        WRITE = "write", "Read and write (push)"

    id = models.CharField(primary_key=True, max_length=40, default=new_token_id, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    workspace = models.ForeignKey(
        "catalog.Workspace", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.WRITE)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=16, editable=False, help_text="The first characters, to recognise it by."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired
