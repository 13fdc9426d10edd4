"""Vendor locks on inputs: which changes they refuse, and the one message that says so.

A lock names an input (and so everything inside it) and optionally a fixed value. Pure
rules over values; the locks themselves are `installations.models.FieldOverride` rows,
read by `installations.overrides`, which every door (wizard, YAML view, git push, change
request, upgrade, commands) calls before anything is written.

- A lock with a value: the input may hold that value (moving to it is always fine) and
  nothing else that differs from what it held before.
- A lock without a value: the input keeps what it held before; for a new installation,
  it is left out (the package's default applies).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from installations.input_schema.paths import MISSING, delete_value, get_value, is_within, set_value


@dataclass(frozen=True)
class Lock:
    path: str
    value: Any = MISSING  # the fixed value, or MISSING: the input stays as it is


def locked_message(path: str) -> str:
    """The refusal, the same from every door."""
    return f"{path} is locked by the vendor and cannot be changed."


def is_locked(path: str, locks: Iterable[Lock]) -> bool:
    return any(is_within(path, lock.path) for lock in locks)


def violations(locks: Iterable[Lock], before: dict | None, after: dict) -> list[str]:
    """The paths of locks that `after` breaks; `before` None for a new installation."""
    out = []
    for lock in locks:
        new = get_value(after, lock.path)
        if lock.value is not MISSING and new == lock.value:
            continue
        old = MISSING if before is None else get_value(before, lock.path)
        if new != old:
            out.append(lock.path)
    return out


def enforce(locks: Iterable[Lock], before: dict | None, data: dict) -> None:
    """Make `data` keep every lock: the fixed value, else what `before` held (or nothing)."""
    for lock in locks:
        value = lock.value
        if value is MISSING:
            value = MISSING if before is None else get_value(before, lock.path)
        if value is MISSING:
            delete_value(data, lock.path)
        else:
            set_value(data, lock.path, copy.deepcopy(value))
