"""The whole direct-install flow in a real browser (Debian's chromium through Playwright).

Log in, create a direct installation, watch it render live, change an input, open the
history, diff the two renders, restore the older one.

Renders run for real (akua.packaging on a repository on disk), but not in a worker: the
render task is replaced by a list, and the test itself runs the queued renders while the
page is open, so the page's htmx polling is what shows the result, as it would with a
django-q2 worker. Set AKUA_SCREENSHOT_DIR to keep a screenshot of every page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog.actions import publish_package_version
from installations.models import Installation, Render
from tests.browser.helpers import run_queued, screenshot

PACKAGE_DIR = Path(__file__).parent / "package"


pytestmark = pytest.mark.browser


@pytest.fixture
def carol(cast):
    publish_package_version(cast.acme, PACKAGE_DIR, user=cast.vera)
    return cast.carol


def shot(page, name: str) -> None:
    screenshot(page, name)


def wait_until_idle(page) -> None:
    """The status part has stopped polling: no render queued or running any more."""
    from playwright.sync_api import expect

    expect(page.locator("#status .spinner")).to_have_count(0)
    expect(page.locator("#status[hx-trigger]")).to_have_count(0)


def test_install_render_edit_diff_and_restore(live_server, page, carol, queued_renders):
    from playwright.sync_api import expect

    url = live_server.url

    # Log in.
    page.goto(f"{url}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    shot(page, "01-login")
    page.get_by_label("User name").fill("carol")
    page.get_by_label("Password").fill("carol-pass-123")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Installations")).to_be_visible()
    expect(page.locator("header")).to_contain_text("Rocket Corp")

    # New installation: a card per package; its Install button leads into the wizard.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New installation").click()
    card = page.locator(".package-card", has_text="hello-web")
    expect(card).to_contain_text("Acme")
    shot(page, "02-new-installation-cards")
    card.get_by_role("button", name="Install hello-web").click()
    expect(page).to_have_url(re.compile(r"/wizard/new/pv_"))
    expect(page.get_by_role("heading", name="Install hello-web 1.0.0")).to_be_visible()
    page.go_back()

    # The single form (the secondary link): choosing the version opens the wizard's
    # one-page mode (htmx redirects as soon as the select changes).
    page.get_by_role("link", name="Use the single form").click()
    page.get_by_label("Package version").select_option(label="hello-web 1.0.0 — Acme")
    expect(page).to_have_url(re.compile(r"/wizard/new/pv_\w+/one-page/$"))
    expect(page.get_by_label("Greeting")).to_have_value("Hello")
    expect(page.get_by_label("Tag")).to_have_value("1.27")  # nested object: image.tag
    page.get_by_label("Installation name").fill("rocket-web")
    # Server-side validation (no required attributes): the error sits at the field, input stays.
    page.get_by_label("Greeting").fill("Hello from Rocket")
    page.get_by_label("Replicas").fill("two")
    page.get_by_role("button", name="Install").click()
    expect(page.locator("#f-replicas-error")).to_have_text("Enter an integer.")
    expect(page.get_by_label("Replicas")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Installation name")).to_have_value("rocket-web")
    expect(page.get_by_label("Greeting")).to_have_value("Hello from Rocket")
    shot(page, "02-new-installation-error")
    page.get_by_label("Replicas").fill("1")
    shot(page, "02-new-installation")
    page.get_by_role("button", name="Install").click()

    # The installation page: queued, polling; the worker renders; the page catches up.
    expect(page.get_by_role("heading", name="rocket-web")).to_be_visible()
    installation = Installation.objects.get(name="rocket-web")
    assert page.url.endswith(f"/installations/{installation.pk}/")
    expect(page.locator("#status")).to_have_attribute("hx-trigger", "every 1s")
    expect(page.locator("#status")).to_contain_text("Working on it")
    run_queued(queued_renders)
    wait_until_idle(page)
    expect(page.locator("#status .render-box .badge")).to_have_attribute("data-state", "deployed")
    expect(page.locator("#status")).to_contain_text("Rendered 2 manifests")
    expect(page.locator("#status")).to_contain_text("Head commit")
    shot(page, "03-installation")

    # Change an input: a new commit, rendered again.
    page.get_by_role("link", name="One-page form").click()  # the wizard's one-page mode
    expect(page.get_by_label("Greeting")).to_have_value("Hello from Rocket")
    page.get_by_label("Greeting").fill("Hello again")
    page.get_by_label("Replicas").fill("3")
    shot(page, "04-edit-inputs")
    page.get_by_role("button", name="Save and render").click()
    expect(page.get_by_role("status")).to_contain_text("Inputs saved")
    run_queued(queued_renders)
    wait_until_idle(page)
    expect(page.locator("#status .render-box")).to_contain_text("Inputs changed")
    expect(page.locator("#status .render-box .badge")).to_have_attribute("data-state", "deployed")

    # History: both renders; diff them without a page reload.
    page.get_by_role("link", name="History").click()
    rows = page.locator("table.history tbody tr")
    expect(rows).to_have_count(2)
    install_render, inputs_render = (
        installation.renders.get(trigger=Render.Trigger.INSTALL),
        installation.renders.get(trigger=Render.Trigger.INPUTS),
    )
    page.evaluate("window.__stillTheSamePage = true")
    page.locator(f"#render-{inputs_render.pk} input[name=a]").check()
    page.locator(f"#render-{install_render.pk} input[name=b]").check()
    page.get_by_role("button", name="Compare selected renders").click()
    expect(page).to_have_url(re.compile(rf"a={inputs_render.pk}&b={install_render.pk}"))
    diff = page.locator("#diff")
    expect(diff).to_contain_text("000-configmap-hello-index.yaml")
    expect(diff.locator(".diff-del")).to_contain_text(["<h1>Hello again</h1>"])
    expect(diff.locator(".diff-add")).to_contain_text(["<h1>Hello from Rocket</h1>"])
    assert page.evaluate("window.__stillTheSamePage") is True  # an htmx swap, not a reload
    # and the other way round, older to newer
    page.locator(f"#render-{install_render.pk} input[name=a]").check()
    page.locator(f"#render-{inputs_render.pk} input[name=b]").check()
    page.get_by_role("button", name="Compare selected renders").click()
    expect(diff.locator(".diff-add")).to_contain_text(["<h1>Hello again</h1>", "replicas: 3"])
    assert page.evaluate("window.__stillTheSamePage") is True
    shot(page, "05-history-diff")

    # Restore the older render: confirm, a new forward commit, rendered; a third render.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#render-{install_render.pk}").get_by_role(
        "button", name="Restore this render"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Restoring")
    run_queued(queued_renders)
    wait_until_idle(page)
    expect(page.locator("#status .render-box")).to_contain_text("Restore")
    page.get_by_role("link", name="History").click()
    expect(rows).to_have_count(3)
    newest = rows.first
    expect(newest).to_have_attribute("data-trigger", "restore")
    expect(newest).to_have_attribute("data-state", "deployed")
    # By default the page shows the latest change: back to the first greeting.
    expect(diff.locator(".diff-add")).to_contain_text(["<h1>Hello from Rocket</h1>"])
    shot(page, "06-history-after-restore")

    restored = installation.renders.get(trigger=Render.Trigger.RESTORE)
    assert restored.restored_from_id == install_render.pk
    assert restored.render_hash == install_render.render_hash

    page.goto(f"{url}/")
    expect(page.get_by_role("link", name="rocket-web")).to_be_visible()
    shot(page, "07-dashboard")
