"""django-q2 tasks of the catalog: thin wrappers that take IDs and call actions.

`check_sources` runs on a schedule (created by migration 0003, every hour): it refreshes
the upstream versions of every Source. New versions show on the Source's admin page with
"Generate new version"; nothing changes for installations.
"""

from __future__ import annotations

import logging

from catalog.models import Source

logger = logging.getLogger(__name__)

SCHEDULE_NAME = "catalog: check sources"


def check_sources() -> dict[str, list[str]]:
    """Refresh every source; returns the new upstream versions by source id."""

    found: dict[str, list[str]] = {}
    for source_id in Source.objects.values_list("pk", flat=True):
        found[source_id] = check_source(source_id)
    return found


def check_source(source_id: str) -> list[str]:
    from catalog.actions import refresh_source

    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return []
    new = refresh_source(source)
    if new:
        logger.info("source %s: new upstream %s", source.name, ", ".join(new))
    return new
