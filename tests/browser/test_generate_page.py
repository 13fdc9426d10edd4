"""The admin's "Generate new version" page on a 500-value chart, in a real browser: the filter,
select all / none per subtree and for the rows shown, the live count, a readable help column at
1280 px, and what is checked reaching the generated package."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Source, Workspace
from tests.browser.helpers import screenshot
from tests.catalog.conftest import PROXY
from tests.packaging.servers import chart_tgz

pytestmark = pytest.mark.browser


@pytest.fixture
def proxy_source(transactional_db):
    get_user_model().objects.create_superuser("vera", password="vera-pass-123")
    acme = Workspace.objects.create(slug="acme", name="Acme", kind=Workspace.Kind.VENDOR)
    files = {
        p.relative_to(PROXY).as_posix(): p.read_bytes()
        for p in sorted(PROXY.rglob("*"))
        if p.is_file()
    }
    return Source.objects.create(
        workspace=acme,
        name="proxy",
        kind=Source.Kind.CHART_UPLOAD,
        upload=chart_tgz("proxy", "3.2.1", files),
    )


def shot(page, name: str) -> None:
    screenshot(page, f"generate-{name}", full_page=False)


def selected(page) -> int:
    return int(page.locator("#selected-count").inner_text())


def test_filter_select_per_subtree_and_count(live_server, page, proxy_source):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("vera")
    page.get_by_label("Password").fill("vera-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/catalog/source/{proxy_source.pk}/generate/")

    rows = page.locator("#values tbody tr")
    total = rows.count()
    assert total > 500
    assert selected(page) == total  # a first generation: every section proposed
    help_cell = page.locator("#values td.help").first
    assert help_cell.bounding_box()["width"] >= 300  # readable at 1280 px
    shot(page, "first")

    page.get_by_role("button", name="Select none shown").click()
    assert selected(page) == 0

    page.get_by_label("Filter values").fill("redis")
    expect(page.locator("#filter-count")).to_have_text(re.compile(r"\d+ values match"))
    shown = page.locator("#values tbody tr:visible").evaluate_all(
        "rows => rows.map(row => row.dataset.path)"
    )
    assert '"redis-ha".image.tag' in shown and "hub.redis.password" in shown
    assert "hub" in shown  # the section a match is in
    assert "image.tag" not in shown and len(shown) < 40
    shot(page, "filtered")

    page.get_by_role("button", name='Select all under "redis-ha"', exact=True).click()
    redis_rows = page.locator('#values tbody tr[data-path^="\\"redis-ha\\""]').count()
    assert selected(page) == redis_rows
    page.get_by_role("button", name='Select none under "redis-ha".image', exact=True).click()
    # image, image.repository, image.tag, and "redis-ha" itself is only partly chosen now
    assert selected(page) == redis_rows - 4
    parent = page.locator('#values tbody tr[data-path="\\"redis-ha\\""] input[name=exposed]')
    assert parent.evaluate("box => box.indeterminate") is True

    page.get_by_label("Filter values").fill("")
    assert rows.locator(":scope:visible").count() == total
    page.get_by_role("button", name="Select all under image", exact=True).click()
    assert selected(page) == redis_rows - 4 + 5  # image and its four values

    page.get_by_label("Filter values").fill("[the registry]")  # a markdown link in the help
    expect(page.locator("#filter-count")).to_have_text("1 value matches")
    page.get_by_role("button", name="Select all shown").click()
    page.get_by_label("Filter values").fill("")
    shot(page, "chosen")

    page.get_by_role("button", name="Generate package.k").click()
    package_k = page.locator("#id_package_k").input_value()
    assert '"redis-ha": RedisHa' in package_k
    assert "    image: Image = Image {}" in package_k
    assert '    "proxy.ini"' not in package_k
    expect(page.locator("#lookup-report")).to_contain_text("templates/NOTES.txt:2")
    shot(page, "review")
