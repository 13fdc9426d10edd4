"""A customer cannot see or touch another customer's installation: every page is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from installations.models import Render


@pytest.fixture
def render(globex_installation):
    return Render.objects.create(
        installation=globex_installation,
        generation=1,
        trigger=Render.Trigger.INSTALL,
        state=Render.State.DEPLOYED,
        commit_sha="a" * 40,
    )


@pytest.mark.parametrize("name", ["installation", "installation_inputs", "installation_history"])
def test_it_refuses_other_customers_pages(client, people, globex_installation, render, name):
    client.force_login(people["mallory"])
    response = client.get(reverse(name, args=[globex_installation.pk]))
    assert response.status_code == 404


def test_it_refuses_other_customers_diff(client, people, globex_installation, render):
    client.force_login(people["mallory"])
    url = reverse("installation_history", args=[globex_installation.pk])
    response = client.get(url, {"a": render.pk, "b": render.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 404


def test_it_refuses_other_customers_restore(client, people, globex_installation, render):
    client.force_login(people["mallory"])
    url = reverse("render_restore", args=[globex_installation.pk, render.pk])
    response = client.post(url)
    assert response.status_code == 404
    assert globex_installation.renders.count() == 1


def test_it_refuses_other_customers_inputs_post(client, people, globex_installation):
    client.force_login(people["mallory"])
    url = reverse("installation_inputs", args=[globex_installation.pk])
    response = client.post(url, {"inputs-replicas": "5", "base_sha": ""})
    assert response.status_code == 404


def test_an_unknown_installation_is_a_404(client, people):
    client.force_login(people["alice"])
    assert client.get(reverse("installation", args=["inst_nope"])).status_code == 404


def test_a_render_of_another_installation_cannot_be_restored_through_mine(
    client, people, globex_installation, initech_installation, render
):
    # mallory owns initech's installation but names globex's render in the URL
    client.force_login(people["mallory"])
    url = reverse("render_restore", args=[initech_installation.pk, render.pk])
    assert client.post(url).status_code == 404


def test_the_owner_sees_the_pages(client, people, globex_installation, render):
    client.force_login(people["alice"])
    for name in ("installation", "installation_history"):
        response = client.get(reverse(name, args=[globex_installation.pk]))
        assert response.status_code == 200, name
