"""Prefixed, unguessable primary keys (`inst_…`, `pkg_…`) so URLs leak nothing about counts."""

from __future__ import annotations

import secrets

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford-ish base32, lower case


def new_id(prefix: str, length: int = 20) -> str:
    """`<prefix>_<length random base32 chars>`: ~100 bits of randomness at the default length."""
    return f"{prefix}_" + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def id_factory(prefix: str):
    """A module-level callable for a model field default (migrations need a named function)."""

    def make() -> str:
        return new_id(prefix)

    make.__name__ = f"new_{prefix}_id"
    make.__qualname__ = make.__name__
    return make
