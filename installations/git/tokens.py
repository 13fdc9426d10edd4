"""API tokens: make one (shown once), check one from an HTTP Basic password, revoke one.

Only the sha256 of a token is stored and compared. A token stops working when it is
revoked, expires, or its person is no longer a member of its workspace.
"""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from catalog.models import Membership, Workspace
from catalog.ties import reaches
from installations.models import ApiToken, Installation
from installations.models.token import TOKEN_PREFIX, generate_token, hash_token

# last_used_at is written at most this often per token: a clone is several requests.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(Exception):
    """A token cannot be made; the message says why."""


def create_token(
    user,
    workspace: Workspace,
    *,
    name: str,
    read_only: bool = False,
    expires_days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user` in `workspace`; returns the row and the token (shown once)."""
    if (
        not user.is_superuser
        and not Membership.objects.filter(workspace=workspace, user=user).exists()
    ):
        raise TokenError(f"{user.get_username()} is not a member of {workspace.slug}.")
    if expires_days is not None and expires_days <= 0:
        raise TokenError("The expiry must be a positive number of days.")
    token = generate_token()
    row = ApiToken.objects.create(
        user=user,
        workspace=workspace,
        name=(name or "").strip()[:100] or "git",
        scope=ApiToken.Scope.READ if read_only else ApiToken.Scope.WRITE,
        token_hash=hash_token(token),
        prefix=token[: len(TOKEN_PREFIX) + 4],
        expires_at=timezone.now() + timedelta(days=expires_days) if expires_days else None,
    )
    return row, token


def revoke_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])


def tokens_for_user(user):
    return ApiToken.objects.filter(user=user).select_related("workspace")


def authenticate(token: str) -> ApiToken | None:
    """The active token whose hash matches, or None. Marks it used."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = timezone.now()
    row = (
        ApiToken.objects.select_related("user", "workspace")
        .filter(token_hash=hash_token(token), revoked_at=None, user__is_active=True)
        .filter(Q(expires_at=None) | Q(expires_at__gt=now))
        .first()
    )
    if row is None:
        return None
    if (
        not row.user.is_superuser
        and not Membership.objects.filter(
            workspace_id=row.workspace_id, user_id=row.user_id
        ).exists()
    ):
        return None
    if row.last_used_at is None or row.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row


def basic_auth_password(header: str) -> str | None:
    """The password of an `Authorization: Basic …` header (the user name is ignored)."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    _user, sep, password = decoded.partition(":")
    return password if sep else None


def token_reaches(token: ApiToken, installation: Installation) -> bool:
    """A customer's token reaches its own installations; a vendor's, those of its packages
    in the workspaces the vendor reaches (`catalog.ties`: its own, customers that accepted it)."""
    if token.workspace_id == installation.customer_workspace_id:
        return True
    return token.workspace_id == installation.workspace_id and reaches(
        installation.workspace_id, installation.customer_workspace_id
    )
