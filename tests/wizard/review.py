"""The wizard's review as a test reads it."""

from __future__ import annotations

from django.urls import reverse


def manifest_diff(client, route: str, pk: str, name: str) -> str:
    """The diff of manifest `name` as the review loads it when the manifest is opened
    (htmx): `route` is wizard_new_diff (`pk` a package version) or wizard_edit_diff (an
    installation)."""
    return client.get(
        reverse(route, args=[pk]), {"file": name}, headers={"HX-Request": "true"}
    ).content.decode()
