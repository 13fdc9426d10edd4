"""Django's admin crosses no tenant (DESIGN §10): a vendor's staff user (`is_staff`, not a
superuser, with every model permission of the apps) sees and picks only its own workspaces'
rows, through the admin's real pages; a superuser sees everything.

The cast is `base` (tests/conftest.py): acme's owner `vendor` is made staff; `rival` is
another vendor with a package, a source, an installation in its own workspace, a lock and a
cluster of its own."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from catalog.archive import archive_digest, pack_files
from catalog.models import Package, PackageVersion, Source
from clusters.models import Cluster
from installations.models import FieldOverride, Installation

APPS = ("catalog", "installations", "clusters", "wizard")


@pytest.fixture
def staff_vendor(base, client):
    """acme's owner with the admin open to it and every permission of the apps' models."""
    base.vendor.is_staff = True
    base.vendor.save()
    base.vendor.user_permissions.set(Permission.objects.filter(content_type__app_label__in=APPS))
    client.force_login(base.vendor)
    return client


def _version(package: Package, version: str = "1.0.0") -> PackageVersion:
    archive = pack_files({"akua.toml": f'[package]\nname = "{package.name}"\n'.encode()})
    return PackageVersion.objects.create(
        package=package,
        version=version,
        archive=archive,
        digest=archive_digest(archive),
        input_schema={"type": "object"},
    )


@pytest.fixture
def tenants(base, version, globex_installation):
    """Each vendor's rows: acme's `webapp` (tests/views/conftest.py) installed in globex;
    rival's `rivalapp` installed in rival's own workspace."""
    rival_version = _version(Package.objects.create(workspace=base.rival, name="rivalapp"))
    rival_installation = Installation.objects.create(
        name="rival-prod",
        workspace=base.rival,
        customer_workspace=base.rival,
        package_version=rival_version,
        created_by=base.rival_owner,
    )
    Source.objects.create(workspace=base.acme, name="acme-src", kind=Source.Kind.CHART_UPLOAD)
    Source.objects.create(workspace=base.rival, name="rival-src", kind=Source.Kind.CHART_UPLOAD)
    FieldOverride.objects.create(package=version.package, field="acmelock", locked=True)
    FieldOverride.objects.create(package=rival_version.package, field="rivallock", locked=True)
    Cluster.objects.create(workspace=base.acme, name="acme-cluster")
    Cluster.objects.create(workspace=base.rival, name="rival-cluster")
    return {"rival_version": rival_version, "rival_installation": rival_installation}


PAGES = {
    "catalog_package": ("webapp", "rivalapp"),
    "catalog_packageversion": ("webapp", "rivalapp"),
    "catalog_source": ("acme-src", "rival-src"),
    "installations_installation": ("globex-prod", "rival-prod"),
    "installations_fieldoverride": ("acmelock", "rivallock"),
    "clusters_cluster": ("acme-cluster", "rival-cluster"),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_staff_vendor_sees_its_rows_and_not_another_vendors(
    page, tenants, staff_vendor, admin_client
):
    ours, theirs = PAGES[page]
    url = reverse(f"admin:{page}_changelist")
    everything = admin_client.get(url).content.decode()
    assert ours in everything and theirs in everything  # the superuser sees all

    response = staff_vendor.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert ours in html
    assert theirs not in html
    assert "Rival Labs" not in html  # not even in the list filters


def test_another_vendors_change_pages_do_not_show_it(base, tenants, staff_vendor):
    rival_version, rival_installation = tenants["rival_version"], tenants["rival_installation"]
    for page, obj, name in (
        ("catalog_package", rival_version.package, "rivalapp"),
        ("catalog_packageversion", rival_version, "rivalapp"),
        ("installations_installation", rival_installation, "rival-prod"),
    ):
        response = staff_vendor.get(reverse(f"admin:{page}_change", args=[obj.pk]), follow=True)
        assert response.status_code == 200
        html = response.content.decode()
        assert "doesn’t exist" in html, page
        assert name not in html, page
    download = reverse("admin:catalog_packageversion_download", args=[rival_version.pk])
    assert staff_vendor.get(download).status_code == 404
    rival_source = Source.objects.get(name="rival-src")
    generate = reverse("admin:catalog_source_generate", args=[rival_source.pk])
    assert staff_vendor.get(generate).status_code == 404


def test_an_action_acts_only_on_the_vendors_own_rows(
    base, tenants, staff_vendor, globex_installation, queued_renders
):
    rival_installation = tenants["rival_installation"]
    staff_vendor.post(
        reverse("admin:installations_installation_changelist"),
        {
            "action": "rerender",
            "_selected_action": [rival_installation.pk, globex_installation.pk],
        },
    )
    assert rival_installation.renders.count() == 0
    assert globex_installation.renders.count() == 1


def test_the_publish_form_offers_only_the_vendors_own_workspaces(base, staff_vendor, tmp_path):
    url = reverse("admin:catalog_packageversion_publish")
    html = staff_vendor.get(url).content.decode()
    assert f'value="{base.acme.pk}"' in html
    assert f'value="{base.rival.pk}"' not in html and "Rival Labs" not in html
    assert f'value="{base.globex.pk}"' not in html  # a customer's is never offered

    response = staff_vendor.post(url, {"workspace": base.rival.pk, "directory": str(tmp_path)})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Package.objects.filter(workspace=base.rival).exists()


def test_the_source_and_lock_forms_offer_only_the_vendors_own_rows(base, tenants, staff_vendor):
    source_form = staff_vendor.get(reverse("admin:catalog_source_add")).content.decode()
    assert f'value="{base.acme.pk}"' in source_form
    assert f'value="{base.rival.pk}"' not in source_form

    response = staff_vendor.post(
        reverse("admin:catalog_source_add"),
        {
            "workspace": base.rival.pk,
            "name": "planted",
            "kind": "helm_repo",
            "url": "https://charts.example",
            "chart": "web",
            "exposed_values": "[]",
            "essential_values": "[]",
            "ui": "{}",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Source.objects.filter(name="planted").exists()

    lock_form = staff_vendor.get(reverse("admin:installations_fieldoverride_add"))
    assert "rivalapp" not in lock_form.content.decode()
    response = staff_vendor.post(
        reverse("admin:installations_fieldoverride_add"),
        {
            "package": tenants["rival_version"].package_id,
            "installation": tenants["rival_installation"].pk,
            "field": "planted",
            "locked": "on",
        },
    )
    assert response.status_code == 200
    assert not FieldOverride.objects.filter(field="planted").exists()


def test_every_admin_of_the_apps_is_scoped():
    """A new ModelAdmin must say whose rows a person sees (akua.admin.WorkspaceScoped)."""
    from django.contrib import admin

    from akua.admin import WorkspaceScoped

    ours = {
        model._meta.label: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in (*APPS, "marketplace")
    }
    assert len(ours) >= 10
    assert [label for label, a in ours.items() if not isinstance(a, WorkspaceScoped)] == []
