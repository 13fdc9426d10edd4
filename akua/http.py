"""What the apps' views share about answering a request."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.http import Http404

_ID = re.compile(r"[-\w]{1,32}")


def first_or_404(queryset: QuerySet, what: str):
    """The row `queryset` finds, or 404 "No such <what>": what a person may not see and what
    does not exist get the same answer."""
    found = queryset.first()
    if found is None:
        raise Http404(f"No such {what}")
    return found


def posted_id(value: str) -> str:
    """An id sent in a form or a query string, or "" when it cannot be one (a NUL, `..`,
    over 32 characters): looked up as given, such a value would fail the query on
    PostgreSQL (a 500) instead of finding nothing."""
    return value if _ID.fullmatch(value) else ""
