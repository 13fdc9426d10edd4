"""New direct installation: package cards lead into the wizard; the single form (`?form=single`)
chooses a version and leads into the wizard's one-page mode, where errors keep what was typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Workspace
from installations.models import Installation
from wizard.models import Draft

URL = "/installations/new/"
SINGLE = {"form": "single"}
FIELDS = ["replicas", "image.tag", "size", "debugMode", "hostname"]


def _page(version) -> str:
    return reverse("wizard_new_page", args=[version.pk])


def _post(client, version, **inputs):
    data = {
        "_fields": FIELDS,
        "customer_workspace": Workspace.objects.get(slug="globex-b").pk,
        "name": "globex-staging",
        "f.replicas": "2",
        "f.image.tag": "1.0",
        "f.size": '"small"',
        "_action": "confirm",
    }
    data.update(inputs)
    return client.post(_page(version), data)


def test_the_url_is_named(db):
    assert reverse("installation_new") == URL


def test_it_shows_the_packages_a_customer_can_install_as_cards(client, base, version):
    client.force_login(base.owner)
    html = client.get(URL).content.decode()
    assert 'class="card package-card"' in html
    assert ">webapp</h2>" in html
    assert f'<option value="{version.pk}" selected>1.0.0 (latest)</option>' in html
    assert "by Acme" in html  # the vendor
    assert 'href="/installations/new/?form=single"' in html  # the single form stays reachable


def test_choosing_a_version_goes_to_the_wizard(client, base, version):
    client.force_login(base.owner)
    response = client.get(URL, {"package_version": version.pk})
    assert response.status_code == 302
    assert response.url == reverse("wizard_new_start", args=[version.pk])


def test_the_single_form_lists_the_versions_a_customer_can_install(client, base, version):
    client.force_login(base.owner)
    html = client.get(URL, SINGLE).content.decode()
    assert "webapp 1.0.0" in html
    assert "This field is required" not in html  # nothing chosen yet is no error
    assert 'name="form" value="single"' in html  # the htmx and no-JS select keep the mode


def test_choosing_in_the_single_form_opens_the_one_page_mode(client, base, version):
    client.force_login(base.owner)
    response = client.get(URL, {**SINGLE, "package_version": version.pk})
    assert response.status_code == 302
    assert response.url == _page(version)
    # htmx (the select changed): the browser is told where to go
    response = client.get(
        URL, {**SINGLE, "package_version": version.pk}, headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == _page(version)
    assert "HX-Request" in response["Vary"]


def test_without_versions_it_says_how_to_publish_one(client, base):
    client.force_login(base.owner)
    html = client.get(URL).content.decode()
    assert "There is no package you can install yet." in html
    assert "publish_package" in html


def test_a_vendor_installs_only_its_own_packages_for_a_chosen_customer(client, base, version):
    from catalog.models import Package, PackageVersion

    other = Workspace.objects.create(slug="umbrella", name="Umbrella", kind="vendor")
    theirs = Package.objects.create(workspace=other, name="theirs")
    theirs_v = PackageVersion.objects.create(
        package=theirs, version="0.1.0", archive=b"", digest="x", input_schema={}
    )
    client.force_login(base.vendor)
    cards = client.get(URL).content.decode()
    assert ">webapp</h2>" in cards
    assert ">theirs</h2>" not in cards
    html = client.get(URL, SINGLE).content.decode()
    assert "webapp 1.0.0" in html
    assert "theirs 0.1.0" not in html
    assert client.get(_page(theirs_v)).status_code == 404
    html = client.get(_page(version)).content.decode()
    assert ">Globex<" in html and ">Initech<" in html


def test_a_customer_installs_only_into_its_own_workspace(client, base, version):
    client.force_login(base.owner)
    html = client.get(_page(version)).content.decode()
    assert ">Globex<" in html
    assert ">Initech<" not in html


def test_the_one_page_mode_shows_every_field_with_its_default(client, base, version):
    client.force_login(base.owner)
    html = client.get(_page(version)).content.decode()
    assert 'name="f.replicas"' in html
    assert 'value="1"' in html  # the default of replicas
    assert 'name="f.image.tag"' in html
    assert ">Image tag<" in html  # label from x-ui.label
    assert ">Debug mode<" in html  # sentence-cased name
    assert "How many pods run the web app." in html  # description as help text
    assert "<legend>Image</legend>" in html  # nested object as a fieldset
    assert not Draft.objects.exists()  # a GET writes nothing


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"package_version": "pv_nope"}, "Select a valid choice"),
        ({**SINGLE, "package_version": "pv_nope"}, "Select a valid choice"),
    ],
)
def test_an_unknown_version_is_an_error_not_a_500(client, base, version, params, says):
    client.force_login(base.owner)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert says in response.content.decode()


def test_a_form_error_keeps_the_typed_values(client, base, version):
    client.force_login(base.owner)
    response = _post(
        client,
        version,
        name="my-typed-name",
        **{"f.replicas": "0", "f.image.tag": "2.5-typed", "f.hostname": "typed.example"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Must be at least 1." in html  # the schema's minimum, next to the field
    assert 'aria-describedby="f-replicas-help f-replicas-error"' in html
    assert 'id="f-replicas-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="my-typed-name"' in html
    assert 'value="0"' in html
    assert 'value="2.5-typed"' in html
    assert 'value="typed.example"' in html
    assert not Installation.objects.exists()
    assert Draft.objects.get().data["replicas"] == 0  # kept in the draft too


def test_text_in_a_number_field_is_an_error(client, base, version):
    client.force_login(base.owner)
    html = _post(client, version, **{"f.replicas": "lots"}).content.decode()
    assert "Enter an integer." in html
    assert 'value="lots"' in html


def test_a_taken_name_is_an_error_on_the_name(client, base, version, globex_installation):
    client.force_login(base.owner)
    html = _post(client, version, name="globex-prod").content.decode()
    assert "already has an installation named globex-prod" in html
    assert 'id="id_name_error"' in html
    assert Installation.objects.count() == 1


@pytest.mark.django_db(transaction=False)
def test_it_creates_the_installation_and_redirects_to_it(client, base, version):
    client.force_login(base.owner)
    response = _post(client, version, **{"f.debugMode": "on"})
    installation = Installation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("installation", args=[installation.pk])
    assert installation.customer_workspace == base.globex
    assert installation.name == "globex-staging"
    assert installation.created_by == base.owner
    assert installation.renders.count() == 1
    assert not Draft.objects.exists()
