"""The wizard on a big chart: step pages, field validation, the review, a whole walk-through.

    .venv/bin/python bench/wizard.py [--runs N]

Generates a package from tests/fixtures/charts/proxy (600+ values, CRDs, maps of objects;
essentials image, ports, service, the rest one Advanced step), publishes it into a
throw-away in-memory database and times the real views through Django's test client:
the first step, the biggest step, a field validation answer (htmx), the review page (time
and size) and the whole walk-through pressing Next on every step, as a browser posts it
(tests/wizard/page_post.py), then the review. Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akua.settings")
os.environ.setdefault("AKUA_DATA_DIR", tempfile.mkdtemp(prefix="akua-bench-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def count_properties(node: dict) -> int:
    total = 0
    for p in (node.get("properties") or {}).values():
        if isinstance(p, dict):
            total += 1 + count_properties(p)
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            total += count_properties(node[key])
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    connection.creation.create_test_db(verbosity=0)

    from django.contrib.auth import get_user_model
    from django.test import Client

    from catalog.models import Membership, VendorTie, Workspace
    from tests.wizard.big_chart import publish_proxy
    from tests.wizard.page_post import form_post
    from wizard.forms.definitions import _leaves, build_form
    from wizard.models import Draft

    vendor_ws = Workspace.objects.create(slug="v", name="Vendor", kind=Workspace.Kind.VENDOR)
    customer = Workspace.objects.create(slug="c", name="Customer", kind=Workspace.Kind.CUSTOMER)
    VendorTie.objects.create(vendor=vendor_ws, customer=customer, state="accepted")
    user = get_user_model().objects.create_user("bench")
    Membership.objects.create(workspace=vendor_ws, user=user, role=Membership.Role.OWNER)
    Membership.objects.create(workspace=customer, user=user, role=Membership.Role.OWNER)
    version = publish_proxy(vendor_ws, user, Path(tempfile.mkdtemp(prefix="akua-bench-")))
    schema = version.input_schema
    start = time.perf_counter()
    form = build_form(schema)
    build_ms = (time.perf_counter() - start) * 1000

    client = Client()
    client.force_login(user)
    step = lambda slug: reverse("wizard_new_step", args=[version.pk, slug])  # noqa: E731
    first = form.steps[0]
    biggest = max(form.steps, key=lambda s: sum(_leaves(d) for d in s.fields))
    validate_url = reverse("wizard_new_validate", args=[version.pk])

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    key = "deployment.replicas"
    post = {"_fields": [key], f"f.{key}": "not a number", "_field": key, "_step": biggest.slug}

    def validate():
        response = client.post(validate_url, post, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code

    first_ms = timed(lambda: get(step(first.slug)), args.runs)
    big_page = get(step(biggest.slug))
    big_ms = timed(lambda: get(step(biggest.slug)), max(3, args.runs // 2))
    validate_ms = timed(validate, args.runs)
    Draft.objects.all().delete()

    def review_cold():
        cache.clear()  # the render is cached for the diffs opened afterwards
        return get(step("review"))

    review = review_cold()
    review_ms = timed(review_cold, max(3, args.runs // 2))

    def walk():
        Draft.objects.all().delete()
        cache.clear()
        for s in form.steps:
            page = get(step(s.slug)).content.decode()
            response = client.post(step(s.slug), form_post(page, _action="next"))
            assert response.status_code == 302, response.status_code
        get(step("review"))

    walk_ms = timed(walk, 3)

    print(
        f"schema: {count_properties(schema)} properties, {len(form.steps)} steps + review "
        f"({len(form.step('advanced').entries)} sections in Advanced); form built in "
        f"{build_ms:.1f} ms (cached after)"
    )
    print(
        f"first step ({first.title}, {sum(_leaves(d) for d in first.fields)} fields): "
        f"median {first_ms[0]:.1f} ms, max {first_ms[1]:.1f} ms"
    )
    n = sum(_leaves(d) for d in biggest.fields)
    print(
        f"biggest step ({biggest.title}, {n} fields, {len(big_page.content) // 1024} KiB): "
        f"median {big_ms[0]:.1f} ms, max {big_ms[1]:.1f} ms"
    )
    print(
        f"field validation ({key}, htmx): median {validate_ms[0]:.1f} ms, "
        f"max {validate_ms[1]:.1f} ms"
    )
    print(
        f"review (render included, {len(review.content) / 1024:.1f} KiB): "
        f"median {review_ms[0]:.1f} ms, max {review_ms[1]:.1f} ms"
    )
    print(
        f"walk-through (GET and Next on {len(form.steps)} steps, then the review): "
        f"median {walk_ms[0]:.0f} ms, max {walk_ms[1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
