"""The inputs editor: prefilled from inputs.yaml, comments and order kept, YAML view, locks, conflicts."""

from __future__ import annotations

from django.urls import reverse

from installations.actions import current_inputs, repository
from installations.inputs import INPUTS_FILE
from installations.models import FieldOverride, SensitiveInput
from installations.repository import AKUA
from tests.wizard.conftest import HAND_EDITED
from wizard.models import Draft


def step_url(inst, slug):
    return reverse("wizard_edit_step", args=[inst.pk, slug])


def test_round_trip_keeps_comments_and_order(owner_client, inst):
    page = owner_client.get(step_url(inst, "scale")).content.decode()
    assert 'value="3"' in page  # prefilled from inputs.yaml
    owner_client.post(
        step_url(inst, "scale"),
        {
            "_fields": ["replicas", "port", "cpu"],
            "f.replicas": "5",
            "f.port": "8080",
            "f.cpu": "0.5",
            "_action": "next",
        },
    )
    response = owner_client.post(step_url(inst, "review"), {"_action": "confirm"})
    assert response.status_code == 302, response.content.decode()[:2000]
    text = repository(inst).read_file(INPUTS_FILE).decode()
    assert text == HAND_EDITED.replace("replicas: 3", "replicas: 5")
    assert not Draft.objects.exists()


def test_review_diffs_against_what_runs_now(owner_client, inst, queued_renders):
    from installations.actions import run_render

    while queued_renders:
        run_render(queued_renders.pop(0))
    owner_client.post(
        step_url(inst, "scale"),
        {"_fields": ["replicas"], "f.replicas": "4", "_action": "save"},
    )
    page = owner_client.get(step_url(inst, "review")).content.decode()
    assert "001-deployment-shop.yaml" in page
    assert "diff-del" not in page  # each manifest's diff is loaded when it is opened
    diff = owner_client.get(
        reverse("wizard_edit_diff", args=[inst.pk]),
        {"file": "001-deployment-shop.yaml"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert '<span class="diff-del">-  replicas: 3</span>' in diff
    assert '<span class="diff-add">+  replicas: 4</span>' in diff
    assert "<html" not in diff  # the partial, not a page


def test_yaml_view_writes_the_same_file(owner_client, inst):
    url = reverse("wizard_edit_yaml", args=[inst.pk])
    text = owner_client.get(url).content.decode()
    assert "# Production shop" in text
    new = HAND_EDITED.replace("team: web", "team: shop")
    response = owner_client.post(url, {"yaml": new})
    assert response["Location"] == step_url(inst, "review")
    owner_client.post(step_url(inst, "review"), {"_action": "confirm"})
    text = repository(inst).read_file(INPUTS_FILE).decode()
    assert "team: shop" in text
    assert text.splitlines()[:6] == new.splitlines()[:6]  # comments and order kept
    assert "# owner" in text


def test_yaml_view_refuses_broken_yaml_and_encrypts_plain_secrets(owner_client, inst, sensitive):
    url = reverse("wizard_edit_yaml", args=[inst.pk])
    response = owner_client.post(url, {"yaml": "name: [unclosed"})
    assert response.status_code == 422
    assert "[unclosed" in response.content.decode()  # what was typed stays
    response = owner_client.post(url, {"yaml": HAND_EDITED + f"apiKey: {sensitive.api_key}\n"})
    assert response.status_code == 302
    draft = Draft.objects.get()
    assert sensitive.api_key not in draft.yaml_text + str(draft.data)
    assert draft.yaml_text.startswith(HAND_EDITED + "apiKey: akua-secret:sha256:")


def test_a_locked_field_is_read_only_and_refused(owner_client, inst, web):
    FieldOverride.objects.create(
        package=web.package, installation=inst, field="replicas", locked=True
    )
    page = owner_client.get(step_url(inst, "scale")).content.decode()
    assert 'aria-label="locked"' in page and 'name="f.replicas"' not in page
    owner_client.post(
        step_url(inst, "scale"), {"_fields": ["replicas"], "f.replicas": "9", "_action": "next"}
    )
    assert Draft.objects.get().data["replicas"] == 3
    response = owner_client.post(
        reverse("wizard_edit_yaml", args=[inst.pk]),
        {"yaml": HAND_EDITED.replace("replicas: 3", "replicas: 9")},
    )
    assert response.status_code == 422
    assert "replicas is locked by the vendor and cannot be changed." in response.content.decode()


def test_a_locked_value_and_a_vendor_default_for_new_installations(
    client, base, web, queued_renders
):
    FieldOverride.objects.create(
        package=web.package, field="port", locked=True, has_value=True, value=9000
    )
    FieldOverride.objects.create(
        package=web.package, field="name", has_value=True, value="acme-app"
    )
    client.force_login(base.owner)
    page = client.get(reverse("wizard_new_step", args=[web.pk, "basics"])).content.decode()
    assert 'value="acme-app"' in page
    page = client.get(reverse("wizard_new_step", args=[web.pk, "scale"])).content.decode()
    assert "9000" in page and 'name="f.port"' not in page
    client.post(
        reverse("wizard_new_step", args=[web.pk, "review"]),
        {"name": "n", "customer_workspace": base.globex.pk, "_action": "confirm"},
    )
    from installations.models import Installation

    inputs, _ = current_inputs(Installation.objects.get(name="n"))
    assert inputs["port"] == 9000 and inputs["name"] == "acme-app"


def test_a_conflict_keeps_the_draft_and_says_so(owner_client, inst):
    owner_client.post(
        step_url(inst, "scale"), {"_fields": ["replicas"], "f.replicas": "6", "_action": "save"}
    )
    repo = repository(inst)
    repo.commit_files(
        {INPUTS_FILE: b"name: shop\nreplicas: 1\n"}, "Pushed", author=AKUA, parent=repo.head()
    )
    response = owner_client.post(step_url(inst, "review"), {"_action": "confirm"})
    assert response.status_code == 409
    assert "changed while you were editing" in response.content.decode()
    assert Draft.objects.get().data["replicas"] == 6
    response = owner_client.post(step_url(inst, "review"), {"_action": "confirm"})
    assert response.status_code == 302  # knowingly applied on top


def test_a_sensitive_value_is_stored_encrypted_and_git_holds_a_marker(
    owner_client, inst, sensitive
):
    owner_client.post(
        step_url(inst, "secrets"),
        {"_fields": ["apiKey"], "f.apiKey": sensitive.api_key, "_action": "next"},
    )
    owner_client.post(step_url(inst, "review"), {"_action": "confirm"})
    text = repository(inst).read_file(INPUTS_FILE).decode()
    assert sensitive.api_key not in text and "apiKey: akua-secret:sha256:" in text
    secret = SensitiveInput.objects.get(installation=inst, path="apiKey")
    assert sensitive.api_key.encode() not in bytes(secret.value_encrypted)
    assert secret.marker in text and secret.decrypt() == sensitive.api_key
    assert secret.updated_by == inst.created_by
