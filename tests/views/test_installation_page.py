"""The installation page, and its status part that htmx polls while work is in progress."""

from __future__ import annotations

from django.urls import reverse

from installations.models import Installation, Render


def test_it_shows_state_reason_and_the_render_in_progress(client, base, globex_installation):
    Installation.objects.filter(pk=globex_installation.pk).update(
        state=Installation.State.RENDERING, state_reason="Rendering rnd_x", reconciling=True
    )
    Render.objects.create(
        installation=globex_installation,
        generation=1,
        trigger=Render.Trigger.INSTALL,
        state=Render.State.RUNNING,
    )
    client.force_login(base.owner)
    html = client.get(reverse("installation", args=[globex_installation.pk])).content.decode()
    assert 'data-state="rendering"' in html
    assert "Rendering rnd_x" in html
    assert "Render in progress" in html
    assert 'hx-trigger="every 1s"' in html
    assert "/git/globex-b/" in html


def _status_part(client, user, installation, status: int) -> str:
    """The installation page's status part as htmx polls it, answered with `status`."""
    client.force_login(user)
    url = reverse("installation", args=[installation.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == status
    return response.content.decode()


def test_the_status_part_keeps_polling_while_reconciling(client, base, globex_installation):
    Installation.objects.filter(pk=globex_installation.pk).update(reconciling=True)
    html = _status_part(client, base.owner, globex_installation, 200)
    assert 'id="status"' in html
    assert "<html" not in html
    assert 'hx-trigger="every 1s"' in html


def test_the_status_part_stops_polling_when_idle(client, base, globex_installation):
    Installation.objects.filter(pk=globex_installation.pk).update(
        state=Installation.State.FAILED, state_reason="package.k: boom", reconciling=False
    )
    html = _status_part(client, base.owner, globex_installation, 286)  # 286: stop polling
    assert "package.k: boom" in html
    assert "hx-trigger" not in html


def test_a_vendor_member_without_edit_rights_gets_no_edit_button(client, base, globex_installation):
    client.force_login(base.vendor_member)
    html = client.get(reverse("installation", args=[globex_installation.pk])).content.decode()
    assert reverse("wizard_edit_page", args=[globex_installation.pk]) not in html
    response = client.get(reverse("wizard_edit_page", args=[globex_installation.pk]))
    assert response.status_code == 403  # may see it, may not change it: a sentence says so
    assert "but not change it" in response.content.decode()
