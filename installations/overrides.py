"""A vendor's overrides of its package's inputs (`FieldOverride`): defaults and locks.

Locks are the installation domain's rule, checked by every door before anything is
written — the wizard and its YAML view (through the actions), `create_installation`,
`update_inputs`, `update_inputs_text`, upgrades, `set_sensitive_input`, git pushes and
change requests — with one message (`input_schema.locked_message`) naming the input.
The rules themselves (what a lock refuses) are `installations.input_schema.locks`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from installations import input_schema
from installations.input_schema import Lock
from installations.models import FieldOverride, Installation


def overrides_for(package_id: str, installation: Installation | None) -> list[FieldOverride]:
    """The package's overrides, with the installation's own winning for the same input."""
    rows = list(FieldOverride.objects.filter(package_id=package_id, installation=None))
    if installation is not None:
        rows += list(FieldOverride.objects.filter(installation=installation))
    by_field: dict[str, FieldOverride] = {}
    for row in rows:
        by_field[row.field] = row
    return list(by_field.values())


def locks_of(overrides: list[FieldOverride]) -> list[Lock]:
    return [
        Lock(o.field, o.value if o.has_value else input_schema.MISSING)
        for o in overrides
        if o.locked
    ]


def locks_for(package_id: str, installation: Installation | None) -> list[Lock]:
    return locks_of(overrides_for(package_id, installation))


def lock_errors(
    package_id: str, installation: Installation | None, before: dict | None, after: dict
) -> dict[str, list[str]]:
    """`{path: [the locked message]}` for each lock `after` breaks (before: None when new)."""
    locks = locks_for(package_id, installation)
    return {
        path: [input_schema.locked_message(path)]
        for path in input_schema.violations(locks, before, after)
    }


def check_locks(
    package_id: str, installation: Installation | None, before: dict | None, after: dict
) -> None:
    """ValidationError per locked input that `after` changes; nothing written yet."""
    errors = lock_errors(package_id, installation, before, after)
    if errors:
        raise ValidationError(errors)
