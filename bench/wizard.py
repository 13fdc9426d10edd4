"""The wizard on a large chart-style schema: first-step render and field validation times.

    .venv/bin/python bench/wizard.py [--runs N]

Publishes tests/fixtures/packages/big-chart (800+ properties, nested, oneOf) into a
throw-away in-memory database and times the real views through Django's test client:
the first step (target < 200 ms), the biggest step (the chart's `values`), and a field
validation answer (target < 50 ms). Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
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
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

BIG = ROOT / "tests" / "fixtures" / "packages" / "big-chart"


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def count_properties(node: dict) -> int:
    props = node.get("properties") or {}
    total = len(props)
    for p in props.values():
        if isinstance(p, dict):
            total += count_properties(p)
            if isinstance(p.get("items"), dict):
                total += count_properties(p["items"])
    return total


def _first_scalar(entries) -> str:
    for key, d in entries:
        if d.kind in ("integer", "number"):
            return key
        if d.kind == "object":
            found = _first_scalar([(f"{key}.{c.name}", c) for c in d.children])
            if found:
                return found
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    connection.creation.create_test_db(verbosity=0)

    from django.contrib.auth import get_user_model
    from django.test import Client

    from catalog.actions import publish_package_version
    from catalog.models import Membership, VendorTie, Workspace
    from wizard.forms.definitions import _leaves, build_form

    vendor_ws = Workspace.objects.create(slug="v", name="Vendor", kind=Workspace.Kind.VENDOR)
    customer = Workspace.objects.create(slug="c", name="Customer", kind=Workspace.Kind.CUSTOMER)
    VendorTie.objects.create(vendor=vendor_ws, customer=customer, state="accepted")
    user = get_user_model().objects.create_user("bench")
    Membership.objects.create(workspace=vendor_ws, user=user, role=Membership.Role.OWNER)
    version = publish_package_version(vendor_ws, BIG, user=user)
    schema = version.input_schema
    text = json.dumps(schema)
    start = time.perf_counter()
    form = build_form(schema)
    build_ms = (time.perf_counter() - start) * 1000

    client = Client()
    client.force_login(user)
    client.get(reverse("wizard_new_start", args=[version.pk]))
    first = form.steps[0]
    biggest = max(form.steps, key=lambda s: sum(_leaves(d) for d in s.fields))
    first_url = reverse("wizard_new_step", args=[version.pk, first.slug])
    big_url = reverse("wizard_new_step", args=[version.pk, biggest.slug])
    validate_url = reverse("wizard_new_validate", args=[version.pk])

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    key = _first_scalar(biggest.entries)
    post = {"_fields": [key], f"f.{key}": "not a number", "_field": key, "_step": biggest.slug}

    def validate():
        response = client.post(validate_url, post, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code

    get(first_url)
    get(big_url)
    validate()
    first_ms = timed(lambda: get(first_url), args.runs)
    big_ms = timed(lambda: get(big_url), max(3, args.runs // 4))
    validate_ms = timed(validate, args.runs)

    print(
        f"schema: {count_properties(schema)} properties, {len(text) // 1024} KiB, "
        f"{len(form.steps)} steps + review; form built in {build_ms:.1f} ms (cached after)"
    )
    print(
        f"first step ({first.title}, {len(first.fields)} fields): "
        f"median {first_ms[0]:.1f} ms, max {first_ms[1]:.1f} ms   (target < 200 ms)"
    )
    n = sum(_leaves(d) for d in biggest.fields)
    print(
        f"biggest step ({biggest.title}, {n} fields): median {big_ms[0]:.1f} ms, max {big_ms[1]:.1f} ms"
    )
    print(
        f"field validation ({post['_field']}): "
        f"median {validate_ms[0]:.1f} ms, max {validate_ms[1]:.1f} ms   (target < 50 ms)"
    )


if __name__ == "__main__":
    main()
