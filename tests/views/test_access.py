"""Every installation URL answers each person the same way (installations.access):

- someone who may not see the installation (another customer, a stranger) gets a 404;
- someone who sees it but may not change it (a plain vendor member) gets a 403 that says
  so, on every page that changes something; who may not delete it, on the delete page;
- nobody signed in is sent to the login page;
- a deleted installation stays readable and is a 404 for every change.

One row per URL; `ok` is what the people who may use it get.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.urls import reverse

from installations.actions import delete_installation, repository
from installations.models import ChangeRequest, Installation

READ, WRITE, DELETE = "read", "write", "delete"
PEOPLE = ("anonymous", "stranger", "outsider", "vendor_member", "member", "vendor", "owner")


@dataclass(frozen=True)
class Row:
    name: str  # URL name
    method: str
    need: str  # READ, WRITE or DELETE
    ok: int  # the status of someone who may
    extra: tuple = ()  # URL arguments after the installation id: "render", "cr" or as given
    data: dict = field(default_factory=dict)
    htmx: bool = False

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}" + (" (htmx)" if self.htmx else "")


ROWS = [
    Row("installation", "GET", READ, 200),
    Row("installation", "GET", READ, 286, htmx=True),  # htmx: stop polling, nothing runs
    Row("installation_history", "GET", READ, 200),
    Row("installation_history", "GET", READ, 200, data={"a": "x", "b": "y"}, htmx=True),
    Row("installation_cluster", "GET", READ, 200),
    Row("installation_cluster", "GET", READ, 200, htmx=True),
    Row("installation_logs", "GET", READ, 200, data={"pod": "p", "container": "c"}),
    Row("installation_source", "GET", READ, 200),
    Row("change_request", "GET", READ, 200, extra=("cr",)),
    Row("installation_inputs", "GET", WRITE, 302),  # the old address of the one-page form
    Row("wizard_edit_page", "GET", WRITE, 200),
    Row("wizard_edit_page", "POST", WRITE, 200, data={"_fields": "replicas", "f.replicas": "x"}),
    Row("render_restore", "POST", WRITE, 302, extra=("render",)),
    Row("installation_update_version", "POST", WRITE, 400, data={"version": "none"}),
    Row("installation_assign", "POST", WRITE, 302),
    Row("installation_reapply", "POST", WRITE, 302),
    Row("installation_adopt", "POST", WRITE, 302, data={"subject": "ConfigMap/x/y"}),
    Row("change_request_reject", "POST", WRITE, 302, extra=("cr",)),
    Row("change_request_accept", "POST", WRITE, 302, extra=("cr",)),
    Row("wizard_edit_start", "GET", WRITE, 302),
    Row("wizard_edit_step", "GET", WRITE, 200, extra=("review",)),
    Row("wizard_edit_yaml", "GET", WRITE, 200),
    Row("wizard_edit_validate", "POST", WRITE, 200, data={"_field": "replicas"}),
    Row("wizard_edit_search", "GET", WRITE, 200, data={"q": "replicas"}, htmx=True),
    # A file the render does not hold: 404 for those who may look, after the access rule.
    Row("wizard_edit_diff", "GET", WRITE, 404, data={"file": "999-none.yaml"}, htmx=True),
    Row("wizard_edit_discard", "POST", WRITE, 302),
    Row("installation_delete", "GET", DELETE, 200),
]

MAY = {
    READ: {"vendor_member", "member", "vendor", "owner"},
    WRITE: {"member", "vendor", "owner"},
    DELETE: {"vendor", "owner"},
}


def expected(row: Row, person: str) -> int:
    if person == "anonymous":
        return 302  # to the login page
    if person in ("stranger", "outsider"):
        return 404
    return row.ok if person in MAY[row.need] else 403


@pytest.fixture
def change_request(installation, base):
    return ChangeRequest.objects.create(
        installation=installation,
        branch="review/three",
        head_sha=repository(installation).head(),
        title="Three",
        pushed_by=base.member,
    )


def _url(row: Row, installation, change_request) -> str:
    args = [installation.pk]
    for extra in row.extra:
        if extra == "render":
            args.append(installation.renders.get().pk)
        elif extra == "cr":
            args.append(change_request.pk)
        else:
            args.append(extra)
    return reverse(row.name, args=args)


def _ask(client, row: Row, url: str):
    headers = {"HX-Request": "true"} if row.htmx else {}
    if row.method == "GET":
        return client.get(url, row.data, headers=headers)
    return client.post(url, row.data, headers=headers)


def _as(client, base, person: str):
    client.logout()
    if person != "anonymous":
        client.force_login(getattr(base, person))
    return client


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_each_person_gets_one_answer(client, base, installation, change_request, row):
    url = _url(row, installation, change_request)
    answers = {person: _ask(_as(client, base, person), row, url) for person in PEOPLE}
    assert {p: r.status_code for p, r in answers.items()} == {p: expected(row, p) for p in PEOPLE}
    assert answers["anonymous"]["Location"].startswith(reverse(settings.LOGIN_URL))
    if row.need != READ:
        refusal = answers["vendor_member"].content.decode()
        assert f"You can see {installation.name} but not" in refusal


@pytest.mark.parametrize("person", PEOPLE)
def test_deleting_answers_each_person_once(client, base, installation, person):
    response = _as(client, base, person).post(
        reverse("installation_delete", args=[installation.pk])
    )
    may = person in MAY[DELETE]
    assert response.status_code == (302 if may else expected(Row("", "POST", DELETE, 302), person))
    installation.refresh_from_db()
    assert (installation.state == Installation.State.DELETED) == may


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_a_deleted_installation_is_readable_and_a_404_for_every_change(
    client, base, installation, change_request, row
):
    url = _url(row, installation, change_request)
    delete_installation(installation, user=base.owner)
    response = _ask(_as(client, base, "owner"), row, url)
    assert response.status_code == (row.ok if row.need == READ else 404)


def test_a_render_of_another_installation_cannot_be_restored_through_mine(
    client, base, installation, shop_version, install
):
    mine = install(shop_version, "initech-shop", customer=base.initech, user=base.outsider)
    client.force_login(base.outsider)  # names globex's render under their own installation
    url = reverse("render_restore", args=[mine.pk, installation.renders.get().pk])
    assert client.post(url).status_code == 404
    assert installation.renders.count() == 1


def test_an_unknown_installation_is_a_404(client, base):
    client.force_login(base.owner)
    assert client.get(reverse("installation", args=["inst_nope"])).status_code == 404
