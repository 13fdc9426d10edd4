"""API tokens: stored hashed, shown once, revocable, `manage.py create_token` for scripts."""

from __future__ import annotations

import hashlib
import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from installations.git.tokens import (
    TokenError,
    authenticate,
    basic_auth_password,
    create_token,
    token_reaches,
)
from installations.models import ApiToken


def test_only_the_hash_is_stored(base):
    row, token = create_token(base.owner, base.globex, name="laptop")
    assert token.startswith("akua_") and len(token) > 40
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiToken.objects.filter(pk=row.pk).values().get())
    assert row.prefix == token[:9]
    assert authenticate(token) == row
    assert authenticate(token + "x") is None


def test_a_token_is_only_for_a_workspace_its_person_is_in(base):
    with pytest.raises(TokenError):
        create_token(base.outsider, base.globex, name="x")


def test_a_token_stops_working_when_its_person_leaves_the_workspace(base):
    _, token = create_token(base.member, base.globex, name="x")
    base.member.memberships.all().delete()
    assert authenticate(token) is None


def test_a_token_reaches_its_customers_or_its_vendors_installations(base):
    from types import SimpleNamespace

    inst = SimpleNamespace(customer_workspace_id=base.globex.pk, workspace_id=base.acme.pk)
    assert token_reaches(create_token(base.owner, base.globex, name="c")[0], inst)
    assert token_reaches(create_token(base.vendor, base.acme, name="v")[0], inst)
    assert not token_reaches(create_token(base.outsider, base.initech, name="o")[0], inst)


def test_basic_auth_takes_any_user_name():
    import base64

    header = "Basic " + base64.b64encode(b"whoever:akua_secret").decode()
    assert basic_auth_password(header) == "akua_secret"
    assert basic_auth_password("Bearer akua_secret") is None
    assert basic_auth_password("Basic !!!") is None


def test_create_token_command_prints_a_working_token(base):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_token", "b-owner", "--workspace", "globex-b", "--read-only", stdout=out, stderr=err
    )
    token = out.getvalue().strip()
    row = authenticate(token)
    assert row is not None and row.scope == "read" and row.user == base.owner
    with pytest.raises(CommandError, match="not a member"):
        call_command("create_token", "b-outsider", "--workspace", "globex-b", stdout=out)


def test_the_tokens_page_shows_a_new_token_once_and_revokes(base, caplog):
    client = Client()
    client.force_login(base.owner)
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/tokens/", {"name": "laptop", "workspace": base.globex.pk, "expires_days": "30"}
        )
    page = response.content.decode()
    row = ApiToken.objects.get(user=base.owner)
    token = page.split("data-token>", 1)[1].split("<", 1)[0]
    assert authenticate(token) == row and row.expires_at is not None
    assert response["Cache-Control"] == "no-store"
    assert token not in caplog.text
    assert token not in client.get("/tokens/").content.decode()  # shown once

    other = Client()
    other.force_login(base.outsider)
    assert other.post(f"/tokens/{row.pk}/revoke/").status_code == 404
    client.post(f"/tokens/{row.pk}/revoke/")
    assert authenticate(token) is None
    assert "revoked" in client.get("/tokens/").content.decode()
