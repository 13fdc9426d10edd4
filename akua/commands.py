"""What the apps' management commands share."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def user_named(name: str | None):
    """The user a command's `--user` names (None when it names none): who is recorded as
    having done what the command does. CommandError for a name no user has."""
    if not name:
        return None
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: name}).first()
    if user is None:
        raise CommandError(f"No user {name!r}.")
    return user
