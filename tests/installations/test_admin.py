"""The vendor's admin pages for installations and renders open, with the history link."""

from __future__ import annotations

from django.urls import reverse


def test_installation_admin_links_to_history_and_repository(installation, admin_client):
    response = admin_client.get(
        reverse("admin:installations_installation_change", args=[installation.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"/installations/{installation.pk}/history/" in html
    assert str(installation.repo_path) in html
    assert (
        admin_client.get(reverse("admin:installations_installation_changelist")).status_code == 200
    )


def test_render_admin_is_read_only(installation, admin_client):
    render = installation.renders.get()
    response = admin_client.get(reverse("admin:installations_render_change", args=[render.pk]))
    assert response.status_code == 200
    assert 'name="state"' not in response.content.decode()


def test_rerender_action_queues_renders(installation, admin_client, run_tasks):
    url = reverse("admin:installations_installation_changelist")
    response = run_tasks(
        admin_client.post, url, {"action": "rerender", "_selected_action": [installation.pk]}
    )
    assert response.status_code == 302
    assert installation.renders.count() == 2


def test_installation_admin_lists_renders_and_events_read_only(installation, admin_client):
    html = admin_client.get(
        reverse("admin:installations_installation_change", args=[installation.pk])
    ).content.decode()
    render = installation.renders.get()
    assert render.pk in html
    for prefix in ("renders", "events"):
        assert f'name="{prefix}-MAX_NUM_FORMS" value="0"' in html
        assert f'name="{prefix}-0-DELETE"' not in html
    assert 'name="renders-0-state"' not in html
    assert 'name="events-0-reason"' not in html


def test_workspace_admin_lists_ties_read_only(base, admin_client):
    html = admin_client.get(
        reverse("admin:catalog_workspace_change", args=[base.acme.pk])
    ).content.decode()
    assert "Globex" in html and "Initech" in html
    assert 'name="customer_ties-MAX_NUM_FORMS" value="0"' in html
    assert 'name="customer_ties-0-state"' not in html
    assert 'name="customer_ties-0-DELETE"' not in html
