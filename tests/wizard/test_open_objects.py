"""An open object (a schema that lists properties and does not say `additionalProperties:
false`) shows its listed fields; a key a person added in the YAML view stays through every
step's Next and reaches the installation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.actions import publish_package_version
from installations.actions import current_inputs
from installations.models import Installation
from tests.packaging.generated_packages import generate_package
from tests.wizard.big_chart import CHARTS
from tests.wizard.page_post import form_post
from wizard.forms import build_form, finalize
from wizard.models import Draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_version(base, tmp_path):
    directory, _report = generate_package(CHARTS / "openobjects", tmp_path / "pkg")
    return publish_package_version(base.acme, directory, user=base.vendor)


def test_a_key_added_in_the_yaml_view_stays_through_next_and_confirm(
    client, base, open_version, queued_renders
):
    client.force_login(base.owner)
    typed = "ports:\n  udp:\n    port: 9000\n"
    response = client.post(reverse("wizard_new_yaml", args=[open_version.pk]), {"yaml": typed})
    assert response.status_code == 302, response.content.decode()[:2000]
    for step in build_form(open_version.input_schema).steps:
        url = reverse("wizard_new_step", args=[open_version.pk, step.slug])
        page = client.get(url).content.decode()
        response = client.post(url, form_post(page, _action="next"))
        assert response.status_code == 302, response.content.decode()[:2000]
    review = reverse("wizard_new_step", args=[open_version.pk, "review"])
    response = client.post(
        review, {"name": "edge", "customer_workspace": base.globex.pk, "_action": "confirm"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    inputs = current_inputs(Installation.objects.get(name="edge"))[0]
    assert inputs["ports"]["udp"] == {"port": 9000}


def test_an_entry_is_added_as_a_row_shaped_like_the_named_ones(client, base, open_version):
    """`ports` lists web and websecure; a person adds `udp` with the fields they share."""
    client.force_login(base.owner)
    form = build_form(open_version.input_schema)
    step = next(s for s in form.steps if "ports" in [f.name for f in s.fields])
    url = reverse("wizard_new_step", args=[open_version.pk, step.slug])
    page = client.get(url).content.decode()
    response = client.post(url, form_post(page, _op="add:ports"), headers={"HX-Request": "true"})
    row = response.content.decode()
    assert 'name="k.ports.key1" value="key1"' in row
    assert 'name="f.ports.key1.port"' in row and 'name="f.ports.key1.tls"' not in row
    page = client.get(url).content.decode()
    post = form_post(page, _action="next")
    post["k.ports.key1"] = ["udp"]
    post["f.ports.key1.port"] = ["9000"]
    assert client.post(url, post).status_code == 302
    inputs = finalize(form, Draft.objects.get().data)
    # a new row starts as a copy of the first named entry, its numbers left to be typed
    assert inputs == {"ports": {"udp": {"port": 9000, "expose": True}}}
