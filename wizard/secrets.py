"""The draft's sensitive values: `{field: value}` Fernet-encrypted (akua.crypto) until confirm.

The marker git holds instead of a value, and the encrypted store of confirmed values, are
the installation's (`installations.sensitive`, `installations.actions.set_sensitive_inputs`);
`marker` and `is_marker` are re-exported here for the wizard's modules.
"""

from __future__ import annotations

import json

from akua import crypto
from installations.sensitive import MARKER_PREFIX, is_marker, marker

__all__ = ["MARKER_PREFIX", "decrypt_map", "encrypt_map", "is_marker", "marker"]


def encrypt_map(values: dict[str, str]) -> bytes:
    return crypto.encrypt(json.dumps(values)) if values else b""


def decrypt_map(token: bytes | memoryview | None) -> dict[str, str]:
    if not token:
        return {}
    try:
        return json.loads(crypto.decrypt(bytes(token)))
    except (crypto.InvalidToken, ValueError):
        return {}
