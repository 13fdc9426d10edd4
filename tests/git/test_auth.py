"""Who reaches which repository: 401 without a valid token, 404 for others', 403 to push read-only."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request

import pytest

from installations.git.tokens import create_token, revoke_token
from installations.models import ApiToken
from tests.git.conftest import edit_inputs, repo_url, token_for

pytestmark = pytest.mark.django_db(transaction=True)


def _get_info_refs(live, shop, password: str | None):
    url = f"{live.url}/git/{shop.customer_workspace.slug}/{shop.pk}.git/info/refs?service=git-upload-pack"
    request = urllib.request.Request(url)
    if password is not None:
        request.add_header(
            "Authorization", "Basic " + base64.b64encode(f"x:{password}".encode()).decode()
        )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_no_or_a_wrong_token_gets_401_with_a_basic_challenge(live, shop, git, tmp_path):
    for password in (None, "akua_wrong", "not-even-a-token"):
        status, headers, _ = _get_info_refs(live, shop, password)
        assert status == 401
        assert headers["WWW-Authenticate"].startswith('Basic realm="Akua"')
    proc = git.run("clone", repo_url(live, shop, "akua_wrong"), str(tmp_path / "c"), check=False)
    assert proc.returncode != 0
    assert "Authentication failed" in proc.stderr or "401" in proc.stderr


def test_a_good_token_answers_and_is_marked_used(live, shop, base):
    row, token = create_token(base.member, base.globex, name="laptop")
    status, headers, body = _get_info_refs(live, shop, token)
    assert status == 200
    assert headers["Content-Type"] == "application/x-git-upload-pack-advertisement"
    assert b"refs/heads/main" in body
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_a_revoked_or_expired_token_gets_401(live, shop, base):
    row, token = create_token(base.owner, base.globex, name="old")
    revoke_token(row)
    assert _get_info_refs(live, shop, token)[0] == 401
    row, token = create_token(base.owner, base.globex, name="short", expires_days=1)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=row.created_at.replace(year=2000))
    assert _get_info_refs(live, shop, token)[0] == 401


def test_another_customers_repository_is_404(live, shop, base, git, tmp_path):
    token = token_for(base.outsider, base.initech)
    status, _, body = _get_info_refs(live, shop, token)
    assert status == 404
    proc = git.run("clone", repo_url(live, shop, token), str(tmp_path / "c"), check=False)
    assert proc.returncode != 0 and "not found" in proc.stderr.lower()


def test_the_vendors_token_reaches_its_packages_installations(live, shop, base):
    assert _get_info_refs(live, shop, token_for(base.vendor, base.acme))[0] == 200


def test_a_read_token_clones_but_is_refused_on_push(live, shop, base, git, tmp_path):
    url = repo_url(live, shop, token_for(base.owner, base.globex, read_only=True))
    clone = git.clone(url, tmp_path / "clone")
    edit_inputs(clone, "replicas: 2", "replicas: 3")
    git.run("commit", "-qam", "Three", cwd=clone)
    proc = git.run("push", "origin", "main", cwd=clone, check=False)
    assert proc.returncode != 0
    assert "remote: The API token 'test' is read-only" in proc.stderr
    assert "403" in proc.stderr
    assert shop.renders.filter(trigger="push").count() == 0


def test_a_customer_member_who_may_not_change_it_pushes_for_review_only(
    live, shop, base, git, tmp_path
):
    """Vendor members (not owners/admins) see the installation but may not change main."""
    token = token_for(base.vendor_member, base.acme)
    clone = git.clone(repo_url(live, shop, token), tmp_path / "clone")
    edit_inputs(clone, "replicas: 2", "replicas: 3")
    git.run("commit", "-qam", "Three", cwd=clone)
    proc = git.run("push", "origin", "main", cwd=clone, check=False)
    assert proc.returncode != 0 and "push to review/<name>" in proc.stderr
    git.run("push", "origin", "main:review/three", cwd=clone)
    assert shop.change_requests.get().branch == "review/three"
