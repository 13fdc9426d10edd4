"""One Debian chromium per test module, a page per test that fails on JavaScript errors,
and the people of the browser tests (`cast`). Render requests are collected instead of sent
to django-q2 (`queued_renders`, tests/conftest.py): the test runs them."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# How long an action or an `expect` waits for the page (Playwright's own default for
# `expect` is 5 s: too short for a page polling every second on a loaded two-core machine).
TIMEOUT_MS = 30_000

# Playwright's sync API keeps an event loop running in this thread; the ORM calls the test
# makes (fixtures, running queued renders) are plain synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_runtest_setup(item):
    """Skip, saying why, when Debian's chromium is not installed."""
    if item.get_closest_marker("browser") and not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def cast(transactional_db):
    """acme, a vendor workspace (vera its owner), and Rocket Corp, a customer workspace that
    accepted acme (carol its owner, who logs in: tests/browser/helpers.log_in)."""
    from django.contrib.auth import get_user_model

    from catalog.models import Membership, VendorTie, Workspace

    User = get_user_model()
    acme = Workspace.objects.create(slug="acme", name="Acme", kind=Workspace.Kind.VENDOR)
    rocket = Workspace.objects.create(
        slug="rocket", name="Rocket Corp", kind=Workspace.Kind.CUSTOMER
    )
    vera = User.objects.create_user("vera", password="vera-pass-123")
    Membership.objects.create(workspace=acme, user=vera, role=Membership.Role.OWNER)
    VendorTie.objects.create(vendor=acme, customer=rocket, state=VendorTie.State.ACCEPTED)
    carol = User.objects.create_user("carol", password="carol-pass-123", first_name="Carol")
    Membership.objects.create(workspace=rocket, user=carol, role=Membership.Role.OWNER)
    return SimpleNamespace(acme=acme, vera=vera, rocket=rocket, carol=carol)
