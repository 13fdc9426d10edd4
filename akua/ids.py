"""Prefixed, unguessable primary keys (`inst_…`, `pkg_…`) so URLs leak nothing about counts."""

from __future__ import annotations

import secrets

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford-ish base32, lower case
_LETTERS = _ALPHABET[10:]


def new_id(prefix: str, length: int = 20) -> str:
    """`<prefix>_<length random base32 chars>`: ~99 bits of randomness at the default length.

    The first random character is a letter. Django's admin escapes primary keys in its URLs
    as `_XX` (hex digits, e.g. `_25` for `%`) and reads them back the same way, so an id
    like `rnd_25…` would open the wrong object (or none) from an admin link; a letter after
    the `_` can never be read as such an escape.
    """
    return (
        f"{prefix}_"
        + secrets.choice(_LETTERS)
        + "".join(secrets.choice(_ALPHABET) for _ in range(length - 1))
    )
