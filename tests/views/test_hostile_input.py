"""Malformed input a signed-in stranger can send, on the database production runs
(PostgreSQL refuses a NUL in any text, SQLite takes it: `postgres_refusals` refuses it here
too): every answer is a 404 or a message, never a 500.

- an id in a URL holding a NUL, `..` or other characters no id has matches no URL (404);
- an id posted in a form (the workspace of a new installation, the version to update to)
  that cannot be one finds nothing and gets the form's message;
- a NUL typed into a wizard field or into the YAML view is not stored in the draft: the
  field says it was removed, the YAML view refuses the text;
- a change request's reason keeps what was typed, without the NUL.
"""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver

from installations.actions import repository
from installations.models import ChangeRequest
from wizard.models import Draft

pytestmark = pytest.mark.usefixtures("postgres_refusals")

IDS = ("installation_id", "render_id", "cr_id", "cluster_id", "token_id", "tie_id", "version_id")


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def _with_ids(route: str, bad_name: str, bad: str, installation) -> str:
    def value(match):
        name = match.group(1)
        if name == bad_name:
            return bad
        return installation.pk if name == "installation_id" else "x"

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)


ROUTES = [
    (route, name)
    for route in _routes(get_resolver().url_patterns)
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route)
    if name in IDS
]


@pytest.mark.parametrize("bad", ["x\x00y", "..", "x y"], ids=["nul", "dots", "space"])
def test_an_id_in_a_url_that_no_id_looks_like_is_a_404(client, base, installation, bad):
    client.force_login(base.owner)
    for route, name in ROUTES:
        url = _with_ids(route, name, bad, installation)
        for method in (client.get, client.post):
            assert method(url).status_code in (404, 405), (method.__name__, url)


@pytest.fixture
def edit_step(client, base, installation) -> str:
    client.force_login(base.owner)
    return client.get(reverse("wizard_edit_start", args=[installation.pk]))["Location"]


def test_a_nul_typed_into_a_field_is_removed_and_said(client, installation, edit_step):
    response = client.post(edit_step, {"_fields": ["message"], "f.message": "hel\x00lo"})
    assert response.status_code in (200, 422)
    assert "U+0000" in response.content.decode()
    assert Draft.objects.get(installation=installation).data["message"] == "hello"


def test_a_nul_in_the_yaml_view_is_refused_with_a_message(client, installation, edit_step):
    url = reverse("wizard_edit_yaml", args=[installation.pk])
    response = client.post(url, {"yaml": 'replicas: 2\nmessage: "hel\\0lo"\n'})
    assert response.status_code == 422
    assert "U+0000" in response.content.decode()
    assert not any("\x00" in str(d.data) for d in Draft.objects.filter(installation=installation))


def test_a_posted_workspace_or_version_that_cannot_be_an_id_gets_the_forms_message(
    client, base, installation
):
    client.force_login(base.owner)
    review = reverse("wizard_new_step", args=[installation.package_version_id, "review"])
    data = {"name": "planted", "customer_workspace": "ws_\x00", "_action": "confirm"}
    assert client.post(review, data).status_code == 422
    update = reverse("installation_update_version", args=[installation.pk])
    assert client.post(update, {"version": "pv_\x00"}).status_code == 400  # "Choose a …"


def test_a_change_request_reason_with_a_nul_is_kept_without_it(client, base, installation):
    cr = ChangeRequest.objects.create(
        installation=installation,
        branch="review/three",
        head_sha=repository(installation).head(),
        title="Three",
        pushed_by=base.member,
    )
    client.force_login(base.owner)
    url = reverse("change_request_reject", args=[installation.pk, cr.pk])
    assert client.post(url, {"reason": "not\x00 now"}).status_code == 302
    cr.refresh_from_db()
    assert (cr.state, cr.reason) == (ChangeRequest.State.REJECTED, "not now")
