"""`akua.db.unique_or`: a duplicate the database refuses (a row made meanwhile by someone
else) becomes the message the person is given, and nothing of the refused block stays."""

from __future__ import annotations

import pytest

from akua.db import unique_or
from catalog.models import Workspace


class Taken(Exception):
    pass


def test_a_duplicate_raises_the_given_error_and_keeps_nothing(db):
    Workspace.objects.create(slug="acme", name="Acme")
    with pytest.raises(Taken, match="acme is taken"):
        with unique_or(Taken("acme is taken")):
            Workspace.objects.create(slug="other", name="Other")
            Workspace.objects.create(slug="acme", name="Acme again")
    assert list(Workspace.objects.values_list("slug", flat=True)) == ["acme"]


def test_without_a_duplicate_the_block_commits_and_other_errors_pass(db):
    with unique_or(Taken("never")):
        Workspace.objects.create(slug="acme", name="Acme")
    assert Workspace.objects.filter(slug="acme").exists()
    with pytest.raises(LookupError):
        with unique_or(Taken("never")):
            raise LookupError("not a duplicate")
