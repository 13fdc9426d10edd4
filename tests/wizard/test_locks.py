"""Vendor locks in the wizard's doors: the steps, the one-page mode, the YAML view and the
review all keep a locked input as the vendor set it, with the domain's one message."""

from __future__ import annotations

from django.urls import reverse

from installations.actions import current_inputs, repository
from installations.inputs import INPUTS_FILE
from installations.models import FieldOverride
from tests.wizard.conftest import HAND_EDITED

MESSAGE = "replicas is locked by the vendor and cannot be changed."


def _lock(web, inst):
    FieldOverride.objects.create(
        package=web.package, installation=inst, field="replicas", locked=True
    )


def test_the_one_page_form_keeps_a_locked_field(owner_client, inst, web):
    _lock(web, inst)
    url = reverse("wizard_edit_page", args=[inst.pk])
    page = owner_client.get(url).content.decode()
    assert 'aria-label="locked"' in page and 'name="f.replicas"' not in page
    response = owner_client.post(
        url,
        {
            "_fields": ["replicas", "port"],
            "f.replicas": "9",
            "f.port": "9090",
            "_action": "confirm",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    inputs, _ = current_inputs(inst)
    assert inputs["replicas"] == 3 and inputs["port"] == 9090


def test_a_text_applied_before_the_vendor_locked_it_gets_the_locked_value_back(
    owner_client, inst, web
):
    yaml_url = reverse("wizard_edit_yaml", args=[inst.pk])
    typed = HAND_EDITED.replace("replicas: 3", "replicas: 4").replace("port: 8080", "port: 81")
    assert owner_client.post(yaml_url, {"yaml": typed}).status_code == 302
    _lock(web, inst)
    review = reverse("wizard_edit_step", args=[inst.pk, "review"])
    response = owner_client.post(review, {"_action": "confirm"})
    assert response.status_code == 302
    inputs, _ = current_inputs(inst)
    assert inputs["replicas"] == 3 and inputs["port"] == 81  # the lock wins, the rest is kept
    committed = repository(inst).read_file(INPUTS_FILE).decode()
    assert committed == HAND_EDITED.replace("port: 8080", "port: 81")  # comments and all


def test_the_yaml_view_refuses_a_locked_change_with_the_message(owner_client, inst, web):
    _lock(web, inst)
    yaml_url = reverse("wizard_edit_yaml", args=[inst.pk])
    typed = HAND_EDITED.replace("replicas: 3", "replicas: 4")
    response = owner_client.post(yaml_url, {"yaml": typed})
    assert response.status_code == 422
    page = response.content.decode()
    assert f"Replicas (replicas)</strong>: {MESSAGE}" in page
    assert "replicas: 4" in page  # the text as typed
