"""The dashboard lists exactly the installations a person may see."""

from __future__ import annotations

from django.urls import reverse


def test_it_redirects_anonymous_people_to_login(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_shows_only_the_customers_own_installations(
    client, base, globex_installation, initech_installation
):
    client.force_login(base.owner)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "globex-prod" in html
    assert reverse("installation", args=[globex_installation.pk]) in html
    assert "initech-prod" not in html
    assert initech_installation.pk not in html


def test_the_vendor_sees_installations_of_its_packages(
    client, base, globex_installation, initech_installation
):
    client.force_login(base.vendor)
    html = client.get(reverse("dashboard")).content.decode()
    assert "globex-prod" in html
    assert "initech-prod" in html


def test_it_shows_state_package_and_version(client, base, globex_installation):
    client.force_login(base.owner)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'data-state="pending"' in html
    assert "webapp" in html
    assert "1.0.0" in html


def test_an_empty_dashboard_offers_a_new_installation(client, base):
    client.force_login(base.outsider)
    html = client.get(reverse("dashboard")).content.decode()
    assert "No installations yet" in html
    assert reverse("installation_new") in html
