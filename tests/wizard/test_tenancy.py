"""Finding 3 of issue 10 through the wizard: a vendor installs only into its own workspace
or into customer workspaces that accepted it (catalog.ties).

`rival` (tests/conftest.py `base`) is a second vendor no customer accepted; acme is
accepted by globex and initech.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from catalog.actions import publish_package_version
from catalog.models import VendorTie
from installations.models import Installation
from tests.wizard.conftest import PACKAGE_DIR


@pytest.fixture
def rival_web(base):
    """`wizard-web`, published by the rival vendor."""
    return publish_package_version(base.rival, PACKAGE_DIR, user=base.rival_owner)


def _review(version) -> str:
    return reverse("wizard_new_step", args=[version.pk, "review"])


def _options(html: str) -> list[str]:
    select = html.split('name="customer_workspace"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def _planted(client, user, version, workspace) -> str:
    """`user` confirms a new installation of `version`, "planted", into `workspace`: it is
    refused (422) and nothing is created. The page it gets."""
    client.force_login(user)
    response = client.post(
        _review(version),
        {"name": "planted", "customer_workspace": workspace.pk, "_action": "confirm"},
    )
    assert response.status_code == 422
    assert not Installation.objects.exists()
    return response.content.decode()


def test_a_vendor_no_customer_accepted_is_offered_only_its_own_workspace(client, base, rival_web):
    client.force_login(base.rival_owner)
    html = client.get(_review(rival_web)).content.decode()
    assert _options(html) == ["Rival Labs"]
    assert "Globex" not in html and "Initech" not in html


def test_the_review_offers_the_customers_that_accepted_the_vendor(client, base, web):
    client.force_login(base.vendor)
    html = client.get(_review(web)).content.decode()
    assert _options(html) == ["Globex", "Initech", "Acme Software"]


def test_a_confirm_posted_for_a_customer_that_did_not_accept_is_refused(
    client, base, rival_web, queued_renders
):
    page = _planted(client, base.rival_owner, rival_web, base.globex)
    assert "Globex has not been invited by Rival Labs" in page


def test_an_invitation_not_yet_accepted_does_not_open_the_door(
    client, base, rival_web, queued_renders
):
    VendorTie.objects.create(vendor=base.rival, customer=base.globex, invited_by=base.rival_owner)
    page = _planted(client, base.rival_owner, rival_web, base.globex)
    assert "Globex has not accepted the invitation of Rival Labs" in page


def test_a_customer_member_cannot_install_into_another_customer_of_the_same_vendor(
    client, base, web, queued_renders
):
    """globex and initech both accepted acme: a globex member still installs only into globex."""
    page = _planted(client, base.member, web, base.initech)
    assert "You may not install into that workspace" in page and "Initech" not in page


def test_a_customer_sees_only_the_packages_of_vendors_it_accepted(client, base, web, rival_web):
    client.force_login(base.owner)
    assert client.get(reverse("wizard_new_start", args=[web.pk])).status_code == 302
    assert client.get(reverse("wizard_new_start", args=[rival_web.pk])).status_code == 404
    cards = client.get(reverse("installation_new")).content.decode()
    assert cards.count(">wizard-web</h2>") == 1


def test_the_vendor_installs_into_its_own_workspace(client, base, rival_web, queued_renders):
    client.force_login(base.rival_owner)
    response = client.post(
        _review(rival_web),
        {"name": "rival-staging", "customer_workspace": base.rival.pk, "_action": "confirm"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    inst = Installation.objects.get(name="rival-staging")
    assert inst.customer_workspace == base.rival and inst.workspace == base.rival


def test_a_staff_flag_opens_no_other_tenant(client, base, web, rival_web):
    """`is_staff` opens Django's admin (a vendor may get it to publish): it must not let the
    rival vendor install acme's package, nor into globex."""
    base.rival_owner.is_staff = True
    base.rival_owner.save()
    client.force_login(base.rival_owner)
    assert client.get(reverse("wizard_new_start", args=[web.pk])).status_code == 404
    assert _options(client.get(_review(rival_web)).content.decode()) == ["Rival Labs"]
    page = _planted(client, base.rival_owner, rival_web, base.globex)
    assert "Globex has not been invited by Rival Labs" in page or "may not install" in page
