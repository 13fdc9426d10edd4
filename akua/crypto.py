"""Secrets at rest: Fernet encryption keyed by settings.ENCRYPTION_KEY (kubeconfigs, sensitive inputs).

The one Fernet helper of the project. A value that is not a Fernet key is hashed into one,
so any long random string works as AKUA_ENCRYPTION_KEY. `fingerprint` is a keyed hash
(HMAC-SHA256 with a key derived from the same setting) for the markers that stand in for
a secret in git: it changes when the value does, yet cannot be brute-forced from the
repository the way a bare sha256 of a short password could.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

__all__ = ["InvalidToken", "decrypt", "encrypt", "fingerprint"]


def _fernet() -> Fernet:
    key = settings.ENCRYPTION_KEY
    key = key.encode() if isinstance(key, str) else key
    try:
        return Fernet(key)
    except ValueError:  # not a Fernet key: derive one from it
        return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key).digest()))


def encrypt(value: str) -> bytes:
    return _fernet().encrypt(value.encode())


def decrypt(token: bytes | memoryview) -> str:
    return _fernet().decrypt(bytes(token)).decode()


def fingerprint(value: str | bytes) -> str:
    """Hex HMAC-SHA256 of `value`, keyed from settings.ENCRYPTION_KEY (never the Fernet key itself)."""
    key = settings.ENCRYPTION_KEY
    key = key.encode() if isinstance(key, str) else key
    mac_key = hashlib.sha256(b"akua-fingerprint\0" + key).digest()
    data = value.encode() if isinstance(value, str) else value
    return hmac.new(mac_key, data, hashlib.sha256).hexdigest()
