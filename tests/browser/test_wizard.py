"""The install wizard and inputs editor in a real browser (Debian's chromium through Playwright).

One browser per module. Installs `wizard-web` (every kind of field) step by step: a
validation error fixed, a conditional field both ways, array and map items added,
reordered and removed, a reload mid-way that resumes, a password that never comes back,
the review's diff, confirm. Then edits the installation in the wizard. Renders run in
the test (the render task is replaced by a list). AKUA_SCREENSHOT_DIR keeps screenshots.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog.actions import publish_package_version
from installations.actions import create_installation, current_inputs
from installations.models import Installation, SensitiveInput
from tests.browser.helpers import log_in, run_queued, screenshot

pytestmark = pytest.mark.browser

PACKAGE_DIR = Path(__file__).parent.parent / "wizard" / "package"


@pytest.fixture
def people(cast):
    version = publish_package_version(cast.acme, PACKAGE_DIR, user=cast.vera)
    return {"version": version, "carol": cast.carol, "rocket": cast.rocket}


def shot(page, name: str) -> None:
    screenshot(page, f"wizard-{name}")


def open_editor(page, url: str, people, queued_renders, name: str):
    """An installation of the wizard's package (named `name`, rendered), opened by carol in
    the inputs editor."""
    inst = create_installation(
        package_version=people["version"],
        customer_workspace=people["rocket"],
        name=name,
        inputs={"name": "web", "replicas": 2},
        user=people["carol"],
    )
    run_queued(queued_renders)
    log_in(page, url)
    page.goto(f"{url}/installations/{inst.pk}/")
    page.get_by_role("link", name="Edit inputs").click()
    return inst


def open_diff(page, name: str):
    """Open a manifest's line on the review: its diff is loaded then (htmx)."""
    line = page.locator("#diff details.wz-manifest", has_text=name)
    line.locator("summary").click()
    return line


def test_install_with_every_widget(live_server, page, people, queued_renders, sensitive):
    from playwright.sync_api import expect

    url = live_server.url
    version = people["version"]
    log_in(page, url)

    # From "New installation": the package's card, its version, Install.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New installation").click()
    card = page.locator(".package-card", has_text="wizard-web")
    card.get_by_label("Version").select_option(label="1.0.0 (latest)")
    card.get_by_role("button", name="Install wizard-web").click()

    # Step 1: text, textarea, radio, select; defaults prefilled.
    expect(page.get_by_role("heading", name="Step 1 of 5: Basics")).to_be_visible()
    expect(page.locator(".wz-bar")).to_have_attribute("value", "20")
    expect(page.get_by_label("App name")).to_have_value("web")
    expect(page.get_by_label("App name")).to_have_attribute("placeholder", "my-app")
    expect(page.get_by_label("Motd")).to_have_value("Hello")
    expect(page.get_by_text("Lower case; used in resource names.")).to_be_visible()
    page.get_by_label("App name").fill("shop")
    page.get_by_label("Motd").fill("Welcome\nto the shop")
    page.get_by_role("radio", name="large").check()
    page.get_by_label("Region").select_option(label="us-east")
    shot(page, "01-basics")
    page.get_by_role("button", name="Next", exact=True).click()

    # Step 2: slider by keyboard, an integer with a mistake, fixed; a number.
    expect(page.get_by_role("heading", name="Step 2 of 5: Scale")).to_be_visible()
    slider = page.get_by_label("Replicas")
    expect(slider).to_have_value("2")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(slider).to_have_value("4")
    page.get_by_label("Port").fill("eighty")
    page.get_by_label("Port").press("Tab")  # leaving the field validates it (htmx)
    expect(page.locator("#f-port-error")).to_have_text("Enter an integer.")
    expect(page.get_by_label("Port")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#wz-announce")).to_contain_text("Port: Enter an integer.")
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Some values need a fix")
    expect(page.get_by_label("Port")).to_have_value("eighty")  # nothing lost
    shot(page, "02-scale-error")
    page.get_by_label("Port").fill("8081")
    page.get_by_label("Port").press("Tab")
    expect(page.locator("#f-port-error")).to_have_count(0)
    page.get_by_label("Cpu").fill("1.5")
    page.get_by_role("button", name="Next", exact=True).click()

    # Step 3: a conditional field both ways; arrays of scalars and objects; a map.
    expect(page.get_by_role("heading", name="Step 3 of 5: Network")).to_be_visible()
    expect(page.get_by_label("Hostname")).to_have_count(0)
    page.get_by_label("Ingress").check()
    expect(page.get_by_label("Hostname")).to_be_visible()
    expect(page.locator("#f-hostname-wrap .req")).to_have_count(1)  # required while shown
    page.get_by_label("Hostname").fill("shop.example.com")
    page.get_by_label("Hostname").press("Tab")
    page.get_by_label("Ingress").uncheck()
    expect(page.get_by_label("Hostname")).to_have_count(0)
    page.get_by_label("Ingress").check()
    expect(page.get_by_label("Hostname")).to_have_value("shop.example.com")

    page.get_by_role("button", name="Add to aliases").click()
    expect(page.get_by_label("Aliases item 1")).to_be_focused()
    page.get_by_label("Aliases item 1").fill("a.example.com")
    page.get_by_role("button", name="Add to aliases").click()
    page.get_by_label("Aliases item 2").fill("b.example.com")
    page.get_by_role("button", name="Move Aliases item 2 up").click()
    expect(page.get_by_label("Aliases item 1")).to_have_value("b.example.com")
    page.get_by_role("button", name="Add to aliases").click()
    expect(page.locator("#f-aliases-wrap .wz-item")).to_have_count(3)
    page.get_by_role("button", name="Remove Aliases item 3").click()
    expect(page.locator("#f-aliases-wrap .wz-item")).to_have_count(2)

    page.get_by_role("button", name="Add to routes").click()
    page.get_by_label("Host name").fill("shop.example.com")
    expect(page.get_by_label("Path")).to_have_value("/")
    page.get_by_label("Path").fill("/api")
    page.get_by_label("Path").press("Tab")

    page.get_by_role("button", name="Add a row to labels").click()
    page.get_by_label("Labels: key 1").fill("team")
    page.get_by_label("Labels: key 1").press("Tab")
    page.get_by_label("Labels: value 1").fill("shop")
    page.get_by_label("Labels: value 1").press("Tab")
    expect(page.get_by_label("Labels: value 1")).to_have_value("shop")
    shot(page, "03-network")

    # Close the tab, come back: the draft resumes on this step with everything.
    page.wait_for_load_state("networkidle")  # the last field's save has been answered
    page.goto(f"{url}/")
    page.goto(f"{url}/wizard/new/{version.pk}/")
    expect(page.get_by_role("heading", name="Step 3 of 5: Network")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Hostname")).to_have_value("shop.example.com")
    expect(page.get_by_label("Aliases item 1")).to_have_value("b.example.com")
    expect(page.get_by_label("Aliases item 2")).to_have_value("a.example.com")
    expect(page.get_by_label("Host name")).to_have_value("shop.example.com")
    expect(page.get_by_label("Labels: value 1")).to_have_value("shop")
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("Port")).to_have_value("8081")  # back keeps what was typed
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_role("button", name="Next", exact=True).click()

    # Step 4: a password; never echoed back.
    expect(page.get_by_role("heading", name="Step 4 of 5: Secrets")).to_be_visible()
    page.get_by_label("Api key").fill(sensitive.api_key)
    page.get_by_role("button", name="Next: review").click()

    # Review: a summary with the secret masked, the manifests as a diff against nothing.
    expect(page.get_by_role("heading", name="Step 5 of 5: Review")).to_be_visible()
    review = page.locator(".wz-review")
    expect(review).to_contain_text("•••••• (set)")
    expect(review).not_to_contain_text(sensitive.api_key)
    expect(review.locator(".wz-summary")).to_contain_text(["shop"])
    diff = open_diff(page, "000-configmap-shop.yaml")
    expect(diff.locator(".diff-add")).to_contain_text(["host: shop.example.com"])
    expect(open_diff(page, "deployment-shop").locator(".diff-add")).to_contain_text(["replicas: 4"])
    expect(diff.locator(".diff-add")).to_contain_text(["routes: shop.example.com/api"])
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_label("Api key")).to_have_value("")
    expect(page.get_by_label("Api key")).to_have_attribute("placeholder", re.compile("leave empty"))
    page.get_by_role("button", name="Next: review").click()
    page.get_by_label("Installation name").fill("rocket-shop")
    shot(page, "05-review")
    page.get_by_role("button", name="Confirm and install").click()

    expect(page.get_by_role("heading", name="rocket-shop")).to_be_visible()
    inst = Installation.objects.get(name="rocket-shop")
    inputs, _ = current_inputs(inst)
    assert inputs["ingress"] is True and inputs["hostname"] == "shop.example.com"
    assert inputs["aliases"] == ["b.example.com", "a.example.com"]
    assert inputs["routes"] == [{"host": "shop.example.com", "path": "/api"}]
    assert inputs["labels"] == {"team": "shop"}
    assert inputs["replicas"] == 4 and inputs["port"] == 8081 and inputs["cpu"] == 1.5
    assert inputs["apiKey"].startswith("akua-secret:sha256:")
    assert SensitiveInput.objects.get(installation=inst, path="apiKey")
    run_queued(queued_renders)


def test_edit_inputs_in_the_wizard(live_server, page, people, queued_renders):
    from playwright.sync_api import expect

    inst = open_editor(page, live_server.url, people, queued_renders, "rocket-web")
    expect(page.get_by_label("App name")).to_have_value("web")
    page.get_by_role("button", name="2. Scale").click()  # step links post the form
    page.get_by_label("Port").fill("9090")
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_role("button", name="5. Review").click()
    diff = open_diff(page, "001-deployment-web.yaml")
    expect(diff.locator(".diff-del")).to_contain_text(["containerPort: 8080"])
    expect(diff.locator(".diff-add")).to_contain_text(["containerPort: 9090"])
    shot(page, "06-edit-review")
    page.get_by_role("button", name="Confirm and render").click()
    expect(page.get_by_role("status").first).to_contain_text("Inputs saved")
    inputs, _ = current_inputs(inst)
    assert inputs == {"name": "web", "replicas": 2, "port": 9090}


def test_edit_inputs_in_the_yaml_view(live_server, page, people, queued_renders):
    """Typed in the YAML view with a comment and a new order: committed as written."""
    from playwright.sync_api import expect

    from installations.actions import repository
    from installations.inputs import INPUTS_FILE

    url = live_server.url
    inst = open_editor(page, url, people, queued_renders, "rocket-yaml")
    page.get_by_role("link", name="YAML view").click()
    typed = "# Three for the launch; ask ops first.\nreplicas: 3   # was 2\nname: web\n"
    page.get_by_label("inputs.yaml").fill(typed)
    page.get_by_role("button", name="Apply and review").click()
    expect(open_diff(page, "deployment-web").locator(".diff-add")).to_contain_text(["replicas: 3"])
    expect(page.locator(".wz-yaml")).to_contain_text("# Three for the launch; ask ops first.")
    page.get_by_role("button", name="Confirm and render").click()
    expect(page.get_by_role("status").first).to_contain_text("Inputs saved")
    assert repository(inst).read_file(INPUTS_FILE).decode() == typed
    # The form editor reads the same file: the typed value is there.
    page.goto(f"{url}/wizard/{inst.pk}/scale/")
    expect(page.get_by_label("Replicas")).to_have_value("3")
