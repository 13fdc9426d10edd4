"""Drafts: saved as fields are left, resumed later, one per person, secrets encrypted."""

from __future__ import annotations

from django.urls import reverse

from wizard.models import Draft
from wizard.secrets import decrypt_map


def validate(client, version, **post):
    return client.post(
        reverse("wizard_new_validate", args=[version.pk]), post, HTTP_HX_REQUEST="true"
    )


def test_leaving_a_field_saves_the_draft_and_answers_with_the_field(alice_client, wz):
    response = validate(
        alice_client,
        wz.version,
        _fields=["port"],
        **{"f.port": "eighty"},
        _field="port",
        _step="scale",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="field wz-field has-error"')
    assert 'id="f-port-error"' in html and "Enter an integer." in html
    assert 'aria-invalid="true"' in html
    assert 'hx-swap-oob="true"' in html and "Port: Enter an integer." in html  # announced
    assert Draft.objects.get(user=wz.alice).data == {"port": "eighty"}


def test_a_controller_field_answers_with_the_whole_step(alice_client, wz):
    response = validate(
        alice_client,
        wz.version,
        _fields=["ingress"],
        **{"f.ingress": "on"},
        _field="ingress",
        _step="network",
        _scope="step",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="fields-network"')
    assert 'id="f-hostname"' in html


def test_the_draft_resumes_in_a_new_session(client, wz):
    client.force_login(wz.alice)
    validate(
        client, wz.version, _fields=["name"], **{"f.name": "resumed"}, _field="name", _step="basics"
    )
    client.logout()
    client.force_login(wz.alice)
    response = client.get(reverse("wizard_new_step", args=[wz.version.pk, "basics"]))
    assert 'value="resumed"' in response.content.decode()


def test_drafts_are_per_person(client, wz):
    from catalog.models import Membership

    Membership.objects.create(workspace=wz.globex, user=wz.mallory)
    client.force_login(wz.alice)
    validate(
        client, wz.version, _fields=["name"], **{"f.name": "alices"}, _field="name", _step="basics"
    )
    client.force_login(wz.mallory)
    page = client.get(reverse("wizard_new_step", args=[wz.version.pk, "basics"])).content.decode()
    assert "alices" not in page
    assert list(Draft.objects.values_list("user__username", flat=True)) == ["w-alice"]


def test_a_sensitive_value_is_encrypted_and_never_echoed(alice_client, wz):
    validate(
        alice_client,
        wz.version,
        _fields=["apiKey"],
        **{"f.apiKey": "hunter2-secret"},
        _field="apiKey",
        _step="secrets",
    )
    draft = Draft.objects.get()
    assert draft.data["apiKey"].startswith("akua-secret:sha256:")
    assert b"hunter2-secret" not in bytes(draft.secrets)
    assert decrypt_map(draft.secrets) == {"apiKey": "hunter2-secret"}
    page = alice_client.get(
        reverse("wizard_new_step", args=[wz.version.pk, "secrets"])
    ).content.decode()
    assert "hunter2-secret" not in page and "akua-secret" not in page
    assert "leave empty to keep it" in page
    # leaving it empty keeps it
    validate(
        alice_client,
        wz.version,
        _fields=["apiKey"],
        **{"f.apiKey": ""},
        _field="apiKey",
        _step="secrets",
    )
    assert decrypt_map(Draft.objects.get().secrets) == {"apiKey": "hunter2-secret"}


def test_discard_starts_afresh(alice_client, wz):
    validate(
        alice_client, wz.version, _fields=["name"], **{"f.name": "x"}, _field="name", _step="basics"
    )
    alice_client.post(reverse("wizard_new_discard", args=[wz.version.pk]))
    assert not Draft.objects.exists()


def test_people_who_cannot_install_get_404(client, wz):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("nobody")
    client.force_login(nobody)
    assert client.get(reverse("wizard_new_start", args=[wz.version.pk])).status_code == 404
