"""The health Akua's rules (clusters.health) read of an object on the emulator, and waiting
for it to become a status."""

from __future__ import annotations

from clusters.health import HealthResult, assess
from emulators.kubernetes import eventually


def health_of(emulator, kind, name="web", namespace="default") -> HealthResult | None:
    obj = emulator.get(kind, name, namespace)
    return assess(obj) if obj else None


def becomes(emulator, kind, status, name="web", namespace="default") -> HealthResult:
    """Wait until the object's health is `status`; returns the HealthResult."""

    def probe():
        result = health_of(emulator, kind, name, namespace)
        return result if result and result.status is status else None

    return eventually(probe, what=f"{kind}/{name} to be {status.value}")
