"""The install wizard of a generated package shows the chosen values with their help text."""

from __future__ import annotations

import re

from django.urls import reverse

from catalog.actions import generate_package_version
from catalog.models import Source


def test_the_wizard_shows_the_chosen_values_with_their_help(
    base, client, commented_tgz, acme_source
):
    source = acme_source(Source.Kind.CHART_UPLOAD, upload=commented_tgz())
    version = generate_package_version(
        source,
        version_ref="",
        package_version="1.0.0",
        exposed=["replicaCount", "image.tag", "features.metrics"],
        ui={"replicaCount": {"label": "Web pods", "group": "Scale", "order": 1}},
    )
    client.force_login(base.owner)
    first = client.get(reverse("wizard_new_start", args=[version.pk]), follow=True)
    assert first.status_code == 200
    pages = [first.content.decode()]
    base_url = first.redirect_chain[-1][0] if first.redirect_chain else ""
    for slug in set(re.findall(rf"/wizard/new/{version.pk}/([a-z0-9-]+)/", pages[0])):
        if slug not in ("validate", "yaml", "discard") and slug not in base_url:
            pages.append(client.get(f"/wizard/new/{version.pk}/{slug}/").content.decode())
    html = "\n".join(pages)
    assert "Web pods" in html
    assert "Number of web pods to run." in html
    assert "Image tag; defaults to the chart's appVersion." in html  # help is markdown
    assert "Turn on the metrics endpoint." in html
    assert "Container image repository." not in html  # not exposed
