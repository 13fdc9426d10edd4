"""The wizard on a big chart in a real browser (Debian's chromium through Playwright): the
proxy fixture chart (600+ values, CRDs, maps of objects), generated into a package.

- every step walked pressing Next only, then Confirm; the installation renders, is
  applied to the Kubernetes API emulator and goes healthy;
- a row of a map of objects edited in its sub-form changes the rendered manifest;
- the search box finds a field three sections away and jumps to it.

Renders and applies run in the test (tasks inline); AKUA_SCREENSHOT_DIR keeps screenshots.
"""

from __future__ import annotations

import re

import pytest

from clusters import actions as cluster_actions
from emulators.kubernetes import eventually
from installations.actions import current_inputs, run_render
from installations.actions.place import assign_cluster
from installations.deploy.monitor import check_health
from installations.models import ApplyResult, Installation
from tests.browser.helpers import log_in, screenshot
from tests.kube_objects import crd
from tests.wizard.big_chart import publish_proxy

pytestmark = pytest.mark.browser

# The proxy chart renders a GatewayClass and a Gateway by default: on a real cluster the
# Gateway API is installed first, so it is here.
GATEWAY_CRDS = [
    ("gatewayclasses", "GatewayClass", "Cluster"),
    ("gateways", "Gateway", "Namespaced"),
]


@pytest.fixture
def people(cast, tmp_path):
    version = publish_proxy(cast.acme, cast.vera, tmp_path)
    return {"version": version, "carol": cast.carol, "rocket": cast.rocket}


def shot(page, name: str) -> None:
    screenshot(page, f"big-chart-{name}")


def install_gateway_api(emulator) -> None:
    from kubernetes import client

    api = client.ApiextensionsV1Api(emulator.api_client())
    for plural, kind, scope in GATEWAY_CRDS:
        api.create_custom_resource_definition(
            crd(kind, "gateway.networking.k8s.io", plural=plural, scope=scope)
        )


def test_next_through_every_step_then_confirm_goes_healthy(
    live_server, page, people, k8s_emulator, settings, django_capture_on_commit_callbacks
):
    from playwright.sync_api import expect

    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}  # render and apply inline
    install_gateway_api(k8s_emulator)
    cluster = cluster_actions.import_cluster(
        workspace=people["rocket"],
        name="edge",
        kubeconfig_text=k8s_emulator.kubeconfig(),
        user=people["carol"],
    )
    url = live_server.url
    version = people["version"]
    log_in(page, url)
    page.goto(f"{url}/wizard/new/{version.pk}/")

    titles = ["Image", "Ports", "Service", "Advanced"]
    for number, title in enumerate(titles, start=1):
        expect(page.get_by_role("heading", name=f"Step {number} of 5: {title}")).to_be_visible()
        expect(page.locator("#wz-form .req")).to_have_count(0)  # every field has a default
        shot(page, f"step-{number}")
        label = "Next: review" if number == len(titles) else "Next"
        page.get_by_role("button", name=label, exact=True).click()

    expect(page.get_by_role("heading", name="Step 5 of 5: Review")).to_be_visible()
    expect(page.locator(".wz-review")).to_contain_text("Nothing set: the package's defaults")
    expect(page.locator("table.wz-kinds")).to_contain_text("CustomResourceDefinition")
    shot(page, "review")
    page.get_by_label("Installation name").fill("edge")
    confirm = page.get_by_role("button", name="Confirm and install")
    expect(confirm).to_be_enabled()
    confirm.click()
    expect(page.get_by_role("heading", name="edge")).to_be_visible()

    inst = Installation.objects.get(name="edge")
    assert current_inputs(inst)[0] == {}
    with django_capture_on_commit_callbacks(execute=True):
        render = inst.renders.get()
        if render.state == "queued":
            run_render(render.pk)
        assign_cluster(inst, cluster, "edge", user=people["carol"])

    def healthy():
        inst.refresh_from_db()
        return check_health(inst) == "healthy"

    try:
        eventually(healthy, what="the installation healthy")
    except AssertionError:
        applied = ApplyResult.objects.filter(installation=inst).first()
        raise AssertionError(
            f"{inst.state}: {inst.state_reason}; apply: {applied and applied.message}"
        ) from None
    assert k8s_emulator.get("Gateway", "proxy", "edge") or k8s_emulator.objects("Gateway")


def test_a_map_row_edited_in_its_sub_form_changes_the_manifest(live_server, page, people):
    from playwright.sync_api import expect

    url = live_server.url
    version = people["version"]
    log_in(page, url)
    page.goto(f"{url}/wizard/new/{version.pk}/ports/")
    web = page.locator("#f-ports-wrap .wz-row").first
    expect(web.locator(".wz-row-key")).to_have_text("web")
    exposed = web.get_by_label("Exposed port")
    expect(exposed).to_be_hidden()  # a row of fields is collapsed until opened
    web.locator("summary").click()
    expect(exposed).to_have_value("80")
    exposed.fill("8088")
    exposed.press("Tab")
    expect(page.locator("#f-ports--web--exposedPort-error")).to_have_count(0)
    # A row of one's own: key and fields.
    page.get_by_role("button", name="Add a row to ports").click()
    key = page.get_by_label("Ports: key 5")
    expect(key).to_have_value("key1")
    key.fill("grpc")
    key.press("Tab")  # the map comes back with the row under its new key
    port = page.locator("#f-ports--grpc--port")
    port.fill("9090")
    port.press("Tab")
    # the new row is shaped like the chart's first entry, its numbers left to type
    expect(page.locator("#f-ports--grpc--protocol")).to_be_checked()  # TCP
    shot(page, "ports")
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_role("heading", name="Step 3 of 5: Service")).to_be_visible()

    page.goto(f"{url}/wizard/new/{version.pk}/review/")
    shot(page, "review-edited")
    service = page.locator("details.wz-manifest", has_text="service-proxy")
    service.locator("summary").click()
    expect(service.locator(".wz-diff-body")).to_contain_text("port: 8088")
    expect(page.locator(".wz-summary")).to_contain_text("Ports › web › Exposed port")
    expect(page.locator(".wz-yaml")).to_contain_text("grpc")
    shot(page, "review-diff")


def test_the_search_box_finds_a_field_three_sections_away(live_server, page, people):
    from playwright.sync_api import expect

    url = live_server.url
    version = people["version"]
    log_in(page, url)
    page.goto(f"{url}/wizard/new/{version.pk}/image/")
    page.get_by_label("Tag").fill("v2.0")  # typed, not yet saved by a step button
    page.get_by_label("Find a field").fill("max unavailable")
    hit = page.locator("#wz-search-results .wz-hit", has_text="Max unavailable")
    expect(hit).to_be_visible()
    shot(page, "search")
    hit.click()
    expect(page.get_by_role("heading", name="Step 4 of 5: Advanced")).to_be_visible()
    field = page.locator("#f-podDisruptionBudget--maxUnavailable")
    expect(field).to_be_visible()  # its section, collapsed before, is open
    expect(field).to_be_focused()
    current = page.locator(".wz-nav-sections li.current")
    expect(current).to_have_text(re.compile("Pod disruption budget"))
    # What was typed on the step left behind was saved on the way.
    page.goto(f"{url}/wizard/new/{version.pk}/image/")
    expect(page.get_by_label("Tag")).to_have_value("v2.0")
