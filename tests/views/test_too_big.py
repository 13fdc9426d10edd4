"""A form over the upload limit gets a page that says so (413), never a bare 400: Django
refuses to read such a body, often in the CSRF check before any view runs (akua.errors)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse


def test_a_post_over_the_limit_is_told_which_limit(base):
    client = Client(enforce_csrf_checks=True)
    client.force_login(base.owner)
    page = client.get(reverse("tokens")).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    body = {"csrfmiddlewaretoken": token, "name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    response = client.post(reverse("tokens"), body)
    assert response.status_code == 413
    assert "larger than 2.5" in response.content.decode()
