"""Edit inputs on one page (the wizard's one-page mode): prefilled from inputs.yaml; a
concurrent change gives a conflict, nothing lost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from installations.actions import create_installation, current_inputs, update_inputs
from tests.wizard.page_post import typed

FIELDS = ["replicas", "image.tag", "size", "debugMode", "hostname"]


@pytest.fixture
def installation(base, version):
    return create_installation(
        package_version=version,
        customer_workspace=base.globex,
        name="globex-prod",
        inputs={"replicas": 3, "image": {"tag": "1.4"}},
        user=base.owner,
    )


def _url(installation):
    return reverse("wizard_edit_page", args=[installation.pk])


def test_the_old_address_leads_to_the_one_page_mode(client, base, installation):
    client.force_login(base.owner)
    response = client.get(reverse("installation_inputs", args=[installation.pk]))
    assert response.status_code == 302 and response.url == _url(installation)


def test_the_form_is_prefilled_from_the_current_inputs(client, base, installation):
    client.force_login(base.owner)
    html = client.get(_url(installation)).content.decode()
    _, head = current_inputs(installation)
    assert f'name="_base" value="{head}"' in html
    assert 'name="f.replicas" value="3"' in html
    assert 'value="1.4"' in html


def test_saving_commits_the_inputs_and_goes_to_the_installation(client, base, installation):
    client.force_login(base.owner)
    _, head = current_inputs(installation)
    response = client.post(
        _url(installation),
        {
            "_base": head,
            "_fields": FIELDS,
            "f.replicas": "5",
            "f.image.tag": "1.4",
            "f.size": '"large"',
            "_action": "confirm",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("installation", args=[installation.pk])
    inputs, _ = current_inputs(installation)
    assert inputs["replicas"] == 5
    assert inputs["size"] == "large"


def test_a_concurrent_edit_gives_a_conflict_and_keeps_what_was_typed(client, base, installation):
    client.force_login(base.owner)
    _, head = current_inputs(installation)
    # Someone else saves first, from the same head the page was built from.
    update_inputs(
        installation, {"replicas": 4, "image": {"tag": "1.4"}}, user=base.vendor, base_sha=head
    )
    response = client.post(
        _url(installation),
        typed({"replicas": "7", "image.tag": "typed-tag"}, _base=head, _action="confirm"),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Not saved: the installation changed while you were editing." in html
    assert 'value="7"' in html
    assert 'value="typed-tag"' in html
    # the form moved onto the new head, and nothing of the other edit was lost
    inputs, new_head = current_inputs(installation)
    assert new_head != head
    assert inputs["replicas"] == 4
    assert f'name="_base" value="{new_head}"' in html


def test_an_invalid_value_is_shown_next_to_the_field(client, base, installation):
    client.force_login(base.owner)
    _, head = current_inputs(installation)
    response = client.post(
        _url(installation),
        typed({"replicas": "-2"}, _base=head, _action="confirm"),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="f-replicas-error"' in html
    assert 'value="-2"' in html
