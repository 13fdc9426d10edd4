"""Drafts: saved as fields are left, resumed later, one per person, secrets encrypted."""

from __future__ import annotations

from django.urls import reverse

from tests.wizard.page_post import typed
from wizard.models import Draft
from wizard.secrets import decrypt_map


def leave(client, version, step: str, field: str, text: str, **extra):
    """`text` typed into `field` of `step`, and the field left: what htmx posts then."""
    return client.post(
        reverse("wizard_new_validate", args=[version.pk]),
        typed({field: text}, _field=field, _step=step, **extra),
        HTTP_HX_REQUEST="true",
    )


def test_leaving_a_field_saves_the_draft_and_answers_with_the_field(owner_client, base, web):
    response = leave(owner_client, web, "scale", "port", "eighty")
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="field wz-field has-error"')
    assert 'id="f-port-error"' in html and "Enter an integer." in html
    assert 'aria-invalid="true"' in html
    assert 'hx-swap-oob="true"' in html and "Port: Enter an integer." in html  # announced
    assert Draft.objects.get(user=base.owner).data == {"port": "eighty"}


def test_a_controller_field_answers_with_the_whole_step(owner_client, web):
    response = leave(owner_client, web, "network", "ingress", "on", _scope="step")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="fields-network"')
    assert 'id="f-hostname"' in html


def test_the_draft_resumes_in_a_new_session(client, base, web):
    client.force_login(base.owner)
    leave(client, web, "basics", "name", "resumed")
    client.logout()
    client.force_login(base.owner)
    response = client.get(reverse("wizard_new_step", args=[web.pk, "basics"]))
    assert 'value="resumed"' in response.content.decode()


def test_drafts_are_per_person(client, base, web):
    client.force_login(base.owner)
    leave(client, web, "basics", "name", "owners")
    client.force_login(base.member)  # same workspace, a draft of their own
    page = client.get(reverse("wizard_new_step", args=[web.pk, "basics"])).content.decode()
    assert "owners" not in page
    assert list(Draft.objects.values_list("user__username", flat=True)) == [base.owner.username]


def test_a_sensitive_value_is_encrypted_and_never_echoed(owner_client, web, sensitive):
    leave(owner_client, web, "secrets", "apiKey", sensitive.api_key)
    draft = Draft.objects.get()
    assert draft.data["apiKey"].startswith("akua-secret:sha256:")
    assert sensitive.api_key.encode() not in bytes(draft.secrets)
    assert decrypt_map(draft.secrets) == {"apiKey": sensitive.api_key}
    page = owner_client.get(reverse("wizard_new_step", args=[web.pk, "secrets"])).content.decode()
    assert sensitive.api_key not in page and "akua-secret" not in page
    assert "leave empty to keep it" in page
    # leaving it empty keeps it
    leave(owner_client, web, "secrets", "apiKey", "")
    assert decrypt_map(Draft.objects.get().secrets) == {"apiKey": sensitive.api_key}


def test_discard_starts_afresh(owner_client, web):
    leave(owner_client, web, "basics", "name", "x")
    owner_client.post(reverse("wizard_new_discard", args=[web.pk]))
    assert not Draft.objects.exists()


def test_people_who_cannot_install_get_404(client, web):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("nobody")
    client.force_login(nobody)
    assert client.get(reverse("wizard_new_start", args=[web.pk])).status_code == 404
