"""What the wizard refuses on the server, through HTTP: a Confirm posted directly, an
unknown step, a bad installation name, a YAML text over the upload limit. Each answer is a
sentence where the person is; nothing is created, nothing typed is lost."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from installations.models import Installation
from wizard.models import Draft


def step_url(version, slug):
    return reverse("wizard_new_step", args=[version.pk, slug])


def _confirm(client, base, web, **extra):
    data = {"name": "globex-shop", "customer_workspace": base.globex.pk, "_action": "confirm"}
    return client.post(step_url(web, "review"), data | extra)


def test_a_confirm_posted_directly_is_refused_when_the_inputs_do_not_render(
    owner_client, base, web, queued_renders
):
    # 0 passes the JSON Schema (no minimum there), the package's KCL check refuses it.
    response = owner_client.post(
        step_url(web, "scale"),
        {"_fields": ["replicas"], "f.replicas": "0", "_action": "next"},
    )
    assert response.status_code == 302
    response = _confirm(owner_client, base, web)  # the disabled button, posted anyway
    assert response.status_code == 422
    page = response.content.decode()
    assert "These inputs do not render" in page
    assert "replicas must be at least 1" in page
    assert "package.k" in page and "/tmp" not in page and "akua-render-" not in page
    assert not Installation.objects.exists()
    assert Draft.objects.get().data["replicas"] == 0  # kept, to be fixed


def test_a_confirm_posted_directly_is_refused_when_the_inputs_do_not_validate(
    owner_client, base, web, queued_renders
):
    owner_client.post(
        step_url(web, "scale"),
        {"_fields": ["port"], "f.port": "eighty", "_action": "save"},
    )
    response = _confirm(owner_client, base, web)
    assert response.status_code == 422
    assert "Enter an integer." in response.content.decode()
    assert not Installation.objects.exists()


@pytest.mark.parametrize("goto", ["../x", "nope", "review/../../admin", "%2e%2e"])
def test_an_unknown_step_is_a_sentence_and_keeps_what_was_typed(owner_client, web, goto):
    response = owner_client.post(
        step_url(web, "scale"), {"_fields": ["port"], "f.port": "81", "_goto": goto}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is no step" in page and "you are still on Scale" in page
    assert 'value="81"' in page
    assert Draft.objects.get().data["port"] == 81


def test_a_step_link_saves_and_goes(owner_client, web):
    response = owner_client.post(
        step_url(web, "scale"), {"_fields": ["port"], "f.port": "81", "_goto": "network"}
    )
    assert response.status_code == 302 and response.url == step_url(web, "network")
    assert Draft.objects.get().data["port"] == 81


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("web\x00prod", "U+0000"),
        ("web\u202eprod", "U+202E"),  # right-to-left override
        ("web\u200bprod", "U+200B"),  # zero-width space
        ("x" * 101, "at most 100 characters; this name has 101"),
        ("   ", "Give the installation a name."),
    ],
)
def test_a_name_with_control_characters_or_too_long_is_refused(
    owner_client, base, web, queued_renders, name, says
):
    response = _confirm(owner_client, base, web, name=name)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_name_error"' in page and says in page
    assert not Installation.objects.exists()


def test_a_name_is_stripped(owner_client, base, web, queued_renders):
    response = _confirm(owner_client, base, web, name="  globex-shop \n")
    assert response.status_code == 302
    assert Installation.objects.get().name == "globex-shop"


@pytest.mark.parametrize("htmx", [False, True])
def test_a_yaml_text_over_the_upload_limit_gets_a_message_in_the_form(base, inst, htmx):
    client = Client(enforce_csrf_checks=True)  # as a browser: the CSRF check reads the body
    client.force_login(base.owner)
    url = reverse("wizard_edit_yaml", args=[inst.pk])
    page = client.get(url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    text = "# padding\n" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 10 + 1)
    headers = {"HX-Request": "true", "X-CSRFToken": token} if htmx else {}
    response = client.post(url, {"csrfmiddlewaretoken": token, "yaml": text}, headers=headers)
    assert response.status_code == 413
    body = response.content.decode()
    assert "larger than 2.5" in body and "nothing was applied" in body
    if htmx:  # only the message region: the text stays in the browser's textarea
        assert body.lstrip().startswith('<div id="yaml-feedback">')
    else:
        assert "# Production shop" in body  # the form again, with the file as it was
    assert not Draft.objects.filter(yaml_text__gt="").exists()
