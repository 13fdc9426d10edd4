"""The installation's Source tab: the clone URL and the latest applied commit."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_source_tab_shows_the_clone_url_and_the_applied_commit(shop, base, settings):
    settings.SITE_URL = "https://akua.example"
    client = Client()
    client.force_login(base.member)
    assert (
        f'href="/installations/{shop.pk}/source/"'
        in client.get(f"/installations/{shop.pk}/").content.decode()
    )
    page = client.get(f"/installations/{shop.pk}/source/").content.decode()
    assert f"git clone https://akua.example/git/globex-b/{shop.pk}.git" in page
    applied = shop.renders.get(state="deployed")
    assert applied.commit_sha[:7] in page


def test_others_source_tab_is_404(shop, base):
    client = Client()
    client.force_login(base.outsider)
    assert client.get(f"/installations/{shop.pk}/source/").status_code == 404
