"""Delete: a confirm page naming what goes (the inventory and the cluster), the POST removes
the objects then marks it deleted; a cluster that does not answer deletes nothing and says
so; afterwards the page still opens, read-only and marked deleted, with its history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Membership
from installations.models import Installation


@pytest.fixture
def inst(installed):
    return installed()


def _url(inst) -> str:
    return reverse("installation_delete", args=[inst.pk])


def test_the_page_has_the_button_for_owners_only(client, base, inst):
    page = reverse("installation", args=[inst.pk])
    client.force_login(base.owner)
    assert "Delete installation" in client.get(page).content.decode()
    client.force_login(base.member)  # a plain member of the customer: may edit, not delete
    assert "Delete installation" not in client.get(page).content.decode()
    refused = client.get(_url(inst))
    assert refused.status_code == 403
    assert "not delete it: only owners and admins" in refused.content.decode()
    assert client.post(_url(inst)).status_code == 403
    client.force_login(base.outsider)
    assert client.get(_url(inst)).status_code == 404


def test_a_vendor_admin_may_delete_too(client, base, inst):
    Membership.objects.filter(workspace=base.acme, user=base.vendor).update(
        role=Membership.Role.ADMIN
    )
    client.force_login(base.vendor)
    assert client.get(_url(inst)).status_code == 200


def test_the_confirm_page_lists_the_objects_and_the_cluster(client, base, inst):
    client.force_login(base.owner)
    html = client.get(_url(inst)).content.decode()
    assert "will be deleted from <strong>test</strong>" in html
    assert "<code>Deployment/ns-web/web</code>" in html
    assert "<code>Service/ns-web/web</code>" in html
    inst.refresh_from_db()
    assert inst.state != Installation.State.DELETED  # a GET changes nothing


def test_a_cluster_that_does_not_answer_deletes_nothing(client, base, inst, k8s_emulator):
    client.force_login(base.owner)
    k8s_emulator.set_unreachable(True)
    response = client.post(_url(inst))
    assert response.status_code == 400
    html = response.content.decode()
    assert "nothing was deleted" in html
    assert "Try again" in html
    inst.refresh_from_db()
    assert inst.state != Installation.State.DELETED
    k8s_emulator.set_unreachable(False)
    assert k8s_emulator.get("Deployment", "web", "ns-web") is not None


def test_deleting_removes_the_objects_and_the_page_stays_read_only(
    client, base, inst, k8s_emulator
):
    client.force_login(base.owner)
    response = client.post(_url(inst), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    html = response.content.decode()
    assert f"Deleted {inst.name}." in html
    assert 'id="deleted-installations"' in html  # apart, under "Deleted"
    inst.refresh_from_db()
    assert inst.state == Installation.State.DELETED
    assert k8s_emulator.get("Deployment", "web", "ns-web") is None

    page = client.get(reverse("installation", args=[inst.pk])).content.decode()
    assert 'id="deleted-banner"' in page
    for button in ("Edit inputs", "Delete installation", 'id="update-version"'):
        assert button not in page
    history = client.get(reverse("installation_history", args=[inst.pk]))
    assert history.status_code == 200
    assert inst.renders.first().pk in history.content.decode()
    assert client.get(reverse("installation_source", args=[inst.pk])).status_code == 200
    assert client.get(reverse("wizard_edit_page", args=[inst.pk])).status_code == 404
    # a second delete finds nothing to delete
    assert client.post(_url(inst)).status_code == 404
    inst.refresh_from_db()
    assert inst.state == Installation.State.DELETED


def test_outsiders_do_not_see_a_deleted_installation(client, base, inst):
    client.force_login(base.owner)
    client.post(_url(inst))
    client.force_login(base.outsider)
    assert client.get(reverse("installation", args=[inst.pk])).status_code == 404
    assert client.get(reverse("dashboard")).content.decode().count(inst.pk) == 0
