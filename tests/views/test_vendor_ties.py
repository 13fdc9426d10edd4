"""The invitation pages (catalog.views): a vendor invites a customer workspace on its
Customers page; the customer accepts or declines on its Vendors page; from then on the
vendor installs there (or no longer does) and sees what it installed there (or no longer).

The cast is tests/conftest.py `base`: `rival` is a vendor no customer accepted yet.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import VendorTie
from installations.models import Installation


def _invite(client, base, slug: str):
    url = reverse("workspace_customers", args=[base.rival.slug])
    return client.post(url, {"customer": slug})


def test_a_vendor_invites_and_the_customer_accepts(client, base):
    client.force_login(base.rival_owner)
    response = _invite(client, base, base.globex.slug)
    assert response.status_code == 302
    tie = VendorTie.objects.get(vendor=base.rival, customer=base.globex)
    assert tie.state == VendorTie.State.INVITED and tie.invited_by == base.rival_owner
    page = client.get(response.url).content.decode()
    assert "Globex is invited" in page and "invited</span>" in page

    client.force_login(base.owner)
    vendors = client.get(reverse("workspace_vendors", args=[base.globex.slug])).content.decode()
    assert "Rival Labs" in vendors and "Accept</button>" in vendors
    response = client.post(reverse("tie_accept", args=[base.globex.slug, tie.pk]))
    assert response.status_code == 302
    tie.refresh_from_db()
    assert tie.state == VendorTie.State.ACCEPTED and tie.decided_by == base.owner
    assert "Rival Labs may now install into Globex" in client.get(response.url).content.decode()


def test_a_customer_declines_and_the_vendor_sees_it(client, base):
    tie = VendorTie.objects.create(
        vendor=base.rival, customer=base.globex, invited_by=base.rival_owner
    )
    client.force_login(base.owner)
    client.post(reverse("tie_decline", args=[base.globex.slug, tie.pk]))
    tie.refresh_from_db()
    assert tie.state == VendorTie.State.DECLINED
    client.force_login(base.rival_owner)
    page = client.get(reverse("workspace_customers", args=[base.rival.slug])).content.decode()
    assert "Globex" in page and "declined</span>" in page
    # Inviting again asks again.
    assert _invite(client, base, base.globex.slug).status_code == 302
    tie.refresh_from_db()
    assert tie.state == VendorTie.State.INVITED and tie.decided_at is None


def test_an_invitation_that_cannot_be_sent_says_why_on_the_form(client, base):
    client.force_login(base.rival_owner)
    for slug, says in [
        ("nobody-here", "There is no customer workspace &#x27;nobody-here&#x27;"),
        (base.acme.slug, "There is no customer workspace"),  # a vendor is not a customer
    ]:
        response = _invite(client, base, slug)
        assert response.status_code == 422
        assert says in response.content.decode()
        assert f'value="{slug}"' in response.content.decode()  # what was typed stays
    _invite(client, base, base.globex.slug)
    again = _invite(client, base, base.globex.slug)
    assert again.status_code == 422
    assert "Globex is invited already" in again.content.decode()
    assert VendorTie.objects.filter(vendor=base.rival).count() == 1


def test_only_owners_and_admins_invite_and_answer(client, base):
    client.force_login(base.vendor_member)  # a plain member of acme
    response = client.post(
        reverse("workspace_customers", args=[base.acme.slug]), {"customer": "rival-b"}
    )
    assert response.status_code == 422
    assert "Only owners and admins of Acme Software invite customers" in (response.content.decode())
    tie = VendorTie.objects.create(vendor=base.rival, customer=base.globex)
    client.force_login(base.member)  # a plain member of globex
    page = client.get(reverse("workspace_vendors", args=[base.globex.slug])).content.decode()
    assert "Accept</button>" not in page
    response = client.post(reverse("tie_accept", args=[base.globex.slug, tie.pk]), follow=True)
    assert "Only owners and admins of Globex decide this" in response.content.decode()
    tie.refresh_from_db()
    assert tie.state == VendorTie.State.INVITED


def test_other_workspaces_pages_and_invitations_are_404(client, base):
    tie = VendorTie.objects.create(vendor=base.rival, customer=base.globex)
    client.force_login(base.outsider)  # initech's owner
    assert client.get(reverse("workspace_vendors", args=[base.globex.slug])).status_code == 404
    assert client.get(reverse("workspace_customers", args=[base.acme.slug])).status_code == 404
    # globex's invitation through initech's address: no such invitation there.
    url = reverse("tie_accept", args=[base.initech.slug, tie.pk])
    assert client.post(url).status_code == 404
    tie.refresh_from_db()
    assert tie.state == VendorTie.State.INVITED


def test_ending_a_tie_hides_the_vendors_installations_and_stops_new_ones(
    client, base, shop_version, install
):
    """acme installed into globex while accepted; globex ends the tie: acme's people no longer
    open it, nor install there; globex still does both."""
    inst = Installation.objects.create(
        name="shop",
        workspace=base.acme,
        customer_workspace=base.globex,
        package_version=shop_version,
    )
    page = reverse("installation", args=[inst.pk])
    client.force_login(base.vendor)
    assert client.get(page).status_code == 200
    tie = VendorTie.objects.get(vendor=base.acme, customer=base.globex)
    client.force_login(base.owner)
    client.post(reverse("tie_decline", args=[base.globex.slug, tie.pk]))
    assert client.get(page).status_code == 200

    client.force_login(base.vendor)
    assert client.get(page).status_code == 404
    assert client.get(page, headers={"HX-Request": "true"}).status_code == 404
    assert "shop" not in client.get(reverse("dashboard")).content.decode()
    with pytest.raises(ValidationError, match="Globex declined Acme Software"):
        install(shop_version, "another", user=base.vendor)


def test_the_workspaces_page_lists_mine_with_their_ties(client, base):
    VendorTie.objects.create(vendor=base.rival, customer=base.globex)
    client.force_login(base.owner)
    page = client.get(reverse("workspaces")).content.decode()
    assert "Globex" in page and "1 vendor" in page and "1 invitation to answer" in page
    assert "Initech" not in page
