"""The history page: every render listed; bad diff choices give a message, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from installations.models import Render


@pytest.fixture
def renders(globex_installation, base):
    failed = Render.objects.create(
        installation=globex_installation,
        generation=1,
        trigger=Render.Trigger.INSTALL,
        state=Render.State.FAILED,
        message="Render failed: boom",
        error="package.k:3: boom",
        requested_by=base.owner,
        author_name="alice",
    )
    deployed = Render.objects.create(
        installation=globex_installation,
        generation=2,
        trigger=Render.Trigger.INPUTS,
        state=Render.State.DEPLOYED,
        commit_sha="b" * 40,
        message="Rendered 1 manifest at bbbbbbb",
        author_name="alice",
    )
    return failed, deployed


def test_it_lists_every_render_with_commit_trigger_state_and_author(
    client, base, globex_installation, renders
):
    client.force_login(base.owner)
    html = client.get(
        reverse("installation_history", args=[globex_installation.pk])
    ).content.decode()
    failed, deployed = renders
    assert f'id="render-{failed.pk}"' in html
    assert f'id="render-{deployed.pk}"' in html
    assert "bbbbbbbb" in html
    assert "Inputs changed" in html
    assert "package.k:3: boom" in html
    assert 'data-state="failed"' in html


@pytest.mark.parametrize(
    "query", [{"a": "rnd_nope", "b": "rnd_nope2"}, {"a": "'; drop"}, {"b": ""}]
)
def test_a_bad_render_id_gives_a_message(client, base, globex_installation, renders, query):
    client.force_login(base.owner)
    url = reverse("installation_history", args=[globex_installation.pk])
    response = client.get(url, query)
    assert response.status_code == 200
    assert "to compare" in response.content.decode()


def test_a_render_without_manifests_cannot_be_compared(client, base, globex_installation, renders):
    failed, deployed = renders
    client.force_login(base.owner)
    url = reverse("installation_history", args=[globex_installation.pk])
    response = client.get(url, {"a": failed.pk, "b": deployed.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="diff"' in html
    assert "<table" not in html  # only the partial
    assert "no manifests to compare" in html


def test_the_same_render_twice_gives_a_message(client, base, globex_installation, renders):
    _, deployed = renders
    client.force_login(base.owner)
    url = reverse("installation_history", args=[globex_installation.pk])
    html = client.get(url, {"a": deployed.pk, "b": deployed.pk}).content.decode()
    assert "same render twice" in html
