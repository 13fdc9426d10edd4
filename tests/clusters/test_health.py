"""Argo CD's health rules, one line per fixture in tests/fixtures/health/.

A fixture is named `<kind>-<expected status>[-<case>].yaml` and shaped like `kubectl get -o
yaml` output; its first line, `# message: <text>`, is a substring the result's message must
contain (empty: any message).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from clusters.health import (
    HealthResult,
    HealthStatus,
    assess,
    is_worse,
    missing,
    subject,
    unreachable,
    worst,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "health"
STATUSES = {s.value for s in HealthStatus}


def _cases():
    for path in sorted(FIXTURES.glob("*.yaml")):
        kind, status = path.stem.split("-")[:2]
        assert status in STATUSES, (
            f"{path.name}: the second part of the name is not a health status"
        )
        first = path.read_text().splitlines()[0]
        assert first.startswith("# message:"), (
            f"{path.name}: the first line must be '# message: ...'"
        )
        yield pytest.param(
            path, kind, HealthStatus(status), first.removeprefix("# message:").strip(), id=path.stem
        )


@pytest.mark.parametrize(("path", "kind", "expected", "message"), list(_cases()))
def test_fixture(path, kind, expected, message):
    obj = yaml.safe_load(path.read_text())
    assert obj["kind"].lower() == kind
    result = assess(obj)
    assert result.status is expected, result
    assert message in result.message


def test_every_rule_has_fixtures():
    kinds = {p.stem.split("-")[0] for p in FIXTURES.glob("*.yaml")}
    assert {
        "deployment",
        "statefulset",
        "daemonset",
        "replicaset",
        "job",
        "pod",
        "service",
        "ingress",
        "persistentvolumeclaim",
        "horizontalpodautoscaler",
        "customresourcedefinition",
        "apiservice",
        "poddisruptionbudget",
        "cronjob",
    } <= kinds


def test_the_order_is_argo_cds():
    order = [
        HealthStatus.HEALTHY,
        HealthStatus.SUSPENDED,
        HealthStatus.PROGRESSING,
        HealthStatus.MISSING,
        HealthStatus.DEGRADED,
        HealthStatus.UNKNOWN,
    ]
    assert sorted(reversed(order)) == order
    assert all(
        is_worse(b, a) and not is_worse(a, b) for a, b in zip(order, order[1:], strict=False)
    )
    assert not is_worse(HealthStatus.DEGRADED, HealthStatus.DEGRADED)


def test_worst_of_many_and_of_none():
    assert (
        worst([HealthStatus.HEALTHY, HealthStatus.DEGRADED, HealthStatus.PROGRESSING])
        is HealthStatus.DEGRADED
    )
    assert worst([HealthStatus.DEGRADED, HealthStatus.UNKNOWN]) is HealthStatus.UNKNOWN
    assert worst([]) is HealthStatus.HEALTHY


def test_a_missing_object_is_degraded():
    assert missing("Deployment/shop/web") == HealthResult(
        HealthStatus.DEGRADED, "Deployment/shop/web is missing from the cluster"
    )


def test_an_unreachable_cluster_is_unknown_never_healthy():
    result = unreachable("connection refused")
    assert result.status is HealthStatus.UNKNOWN
    assert "connection refused" in result.message


def test_subject_names_kind_namespace_and_name():
    assert (
        subject({"kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}})
        == "Deployment/shop/web"
    )
    assert subject({"kind": "Namespace", "metadata": {"name": "shop"}}) == "Namespace/shop"
