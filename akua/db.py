"""What the apps' actions share about the database."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import IntegrityError, transaction


@contextmanager
def unique_or(error: Exception):
    """A transaction that, when the database refuses it as a duplicate (a unique constraint:
    someone made the same row meanwhile), raises `error` instead: the message the person is
    given where they are, never a 500."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise error from None
