"""Ids survive Django admin's URL escaping, so admin links open the object they name."""

from __future__ import annotations

from django.contrib.admin.utils import quote, unquote

from akua.ids import new_id


def test_ids_read_back_unchanged_from_admin_urls():
    for _ in range(2000):
        ident = new_id("rnd")
        assert unquote(ident) == ident
        assert quote(ident) == ident.replace("_", "_5F")


def test_ids_keep_their_prefix_and_length():
    ident = new_id("inst")
    assert ident.startswith("inst_") and len(ident) == len("inst_") + 20
