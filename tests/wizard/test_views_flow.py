"""The wizard through Django's test client: steps, drafts, array edits, review, confirm."""

from __future__ import annotations

from django.urls import reverse

from installations.models import Installation
from tests.wizard.page_post import typed
from wizard.models import Draft


def url(version, slug=None):
    if slug is None:
        return reverse("wizard_new_start", args=[version.pk])
    return reverse("wizard_new_step", args=[version.pk, slug])


def test_start_redirects_to_the_first_step(owner_client, web):
    response = owner_client.get(url(web))
    assert response.status_code == 302
    assert response["Location"] == url(web, "basics")
    page = owner_client.get(url(web, "basics")).content.decode()
    assert 'id="f-name"' in page and 'value="web"' in page
    assert "Step 1 of 5: Basics" in page


def test_next_with_an_error_keeps_the_input_and_says_why(owner_client, web):
    owner_client.get(url(web, "scale"))
    scale = {"replicas": "3", "port": "eighty", "cpu": "0.5"}
    response = owner_client.post(url(web, "scale"), typed(scale, _action="next"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter an integer." in page
    assert 'value="eighty"' in page
    assert Draft.objects.get().data["port"] == "eighty"
    response = owner_client.post(url(web, "scale"), typed({**scale, "port": "80"}, _action="next"))
    assert response.status_code == 302
    assert response["Location"] == url(web, "network")
    assert Draft.objects.get().data["port"] == 80


def test_resume_goes_to_the_last_step(owner_client, web):
    owner_client.post(url(web, "network"), {"_action": "save"})
    response = owner_client.get(url(web))
    assert response["Location"] == url(web, "network")


def test_array_add_and_remove_with_htmx(owner_client, web):
    post = {"_fields": ["aliases"], "i.aliases": [], "_op": "add:aliases"}
    response = owner_client.post(url(web, "network"), post, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<fieldset") and 'name="f.aliases.0"' in html
    post = {
        "_fields": ["aliases"],
        "i.aliases": ["0"],
        "f.aliases.0": "www.example.com",
        "_op": "add:aliases",
    }
    owner_client.post(url(web, "network"), post, HTTP_HX_REQUEST="true")
    assert Draft.objects.get().data["aliases"] == ["www.example.com", ""]
    post = {
        "_fields": ["aliases"],
        "i.aliases": ["0", "1"],
        "f.aliases.0": "www.example.com",
        "f.aliases.1": "two.example.com",
        "_op": "up:aliases.1",
    }
    owner_client.post(url(web, "network"), post, HTTP_HX_REQUEST="true")
    assert Draft.objects.get().data["aliases"] == ["two.example.com", "www.example.com"]
    # The page now lists them swapped; remove the first one shown.
    post |= {"f.aliases.0": "two.example.com", "f.aliases.1": "www.example.com"}
    post |= {"_op": "remove:aliases.0"}
    owner_client.post(url(web, "network"), post, HTTP_HX_REQUEST="true")
    assert Draft.objects.get().data["aliases"] == ["www.example.com"]


def test_review_shows_the_diff_and_confirm_installs(owner_client, base, web, queued_renders):
    owner_client.get(url(web, "basics"))
    owner_client.post(
        url(web, "basics"),
        {
            "_fields": ["name", "motd", "tier", "region"],
            "f.name": "shop",
            "f.motd": "Hi",
            "f.tier": '"large"',
            "f.region": '"us-east"',
            "_action": "next",
        },
    )
    response = owner_client.get(url(web, "review"))
    page = response.content.decode()
    assert "000-configmap-shop.yaml" in page and "added" in page
    assert "large" in page
    response = owner_client.post(
        url(web, "review"),
        {"name": "globex-shop", "customer_workspace": base.globex.pk, "_action": "confirm"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    inst = Installation.objects.get(name="globex-shop")
    assert response["Location"] == reverse("installation", args=[inst.pk])
    assert not Draft.objects.exists()
    assert inst.renders.count() == 1  # the first render is queued


def test_outsiders_cannot_open_another_customers_editor(client, base, web, queued_renders):
    from installations.actions import create_installation

    inst = create_installation(
        package_version=web, customer_workspace=base.globex, name="g", inputs={}, user=base.owner
    )
    client.force_login(base.outsider)
    assert client.get(reverse("wizard_edit_start", args=[inst.pk])).status_code == 404
