"""clusters.inventory.rollup and the health -> installation state decision
(installations.deploy.monitor.installation_state)."""

from __future__ import annotations

import pytest

from clusters.client import ObjectRef
from clusters.health import HealthStatus
from clusters.inventory import Observation, rollup
from installations.deploy.monitor import installation_state


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (HealthStatus.HEALTHY, "healthy"),
        (HealthStatus.SUSPENDED, "healthy"),
        (HealthStatus.PROGRESSING, "syncing"),
        (HealthStatus.MISSING, "degraded"),
        (HealthStatus.DEGRADED, "degraded"),
        (HealthStatus.UNKNOWN, "unknown"),
    ],
)
def test_installation_state_for_health(status, state):
    assert installation_state(status) == state


def test_the_worst_object_names_the_state():
    ok = Observation(ObjectRef("v1", "Service", "n", "a"), HealthStatus.HEALTHY)
    bad = Observation(ObjectRef("apps/v1", "Deployment", "n", "b"), HealthStatus.DEGRADED, "boom")
    assert rollup([ok, bad]) == (HealthStatus.DEGRADED, "Deployment/n/b: boom")
    assert rollup([ok]) == (HealthStatus.HEALTHY, "All 1 object healthy")
