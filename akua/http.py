"""What the apps' views share about answering a request."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404


def first_or_404(queryset: QuerySet, what: str):
    """The row `queryset` finds, or 404 "No such <what>": what a person may not see and what
    does not exist get the same answer."""
    found = queryset.first()
    if found is None:
        raise Http404(f"No such {what}")
    return found
