"""A sensitive value typed in the wizard reaches the render (installations.SensitiveInput)
and never git, for a new installation and for an edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from installations.models import Installation, Render, SensitiveInput
from tests.installations.conftest import git_history


@pytest.fixture
def inline(settings, django_capture_on_commit_callbacks):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _latest(inst) -> Render:
    return inst.renders.order_by("-generation").first()


def test_a_new_installation_renders_with_the_value_typed_in_the_wizard(
    owner_client, base, web, inline, sensitive
):
    key = sensitive.api_key
    new = lambda slug: reverse("wizard_new_step", args=[web.pk, slug])  # noqa: E731
    owner_client.post(new("secrets"), {"_fields": ["apiKey"], "f.apiKey": key, "_action": "next"})
    with inline():
        response = owner_client.post(
            new("review"),
            {"name": "keyed", "customer_workspace": base.globex.pk, "_action": "confirm"},
        )
    assert response.status_code == 302
    inst = Installation.objects.get(name="keyed")
    row = SensitiveInput.objects.get(installation=inst, path="apiKey")
    assert row.decrypt() == key and row.updated_by == base.owner
    assert _latest(inst).state == Render.State.DEPLOYED, _latest(inst).error
    assert key not in git_history(inst.repo_path)


def test_an_edit_renders_with_the_new_value(owner_client, web, inline, install, sensitive):
    key = sensitive.api_key
    inst = install(web, "edited", inputs={"name": "edited"})
    edit = lambda slug: reverse("wizard_edit_step", args=[inst.pk, slug])  # noqa: E731
    owner_client.post(edit("secrets"), {"_fields": ["apiKey"], "f.apiKey": key, "_action": "next"})
    with inline():
        owner_client.post(edit("review"), {"_action": "confirm"})
    assert SensitiveInput.objects.get(installation=inst, path="apiKey").decrypt() == key
    render = _latest(inst)
    assert render.trigger == Render.Trigger.INPUTS
    assert render.state in (Render.State.DEPLOYED, Render.State.SKIPPED), render.error
    assert key not in git_history(inst.repo_path)
