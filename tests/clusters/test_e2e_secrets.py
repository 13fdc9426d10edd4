"""A sensitive input reaches the cluster in full, and nothing Akua stores holds it.

git holds a redacted Secret; the apply sends the full one kept encrypted on the Render;
the inventory and drift shown on the installation page hold only fingerprints.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from kubernetes import client as k8s

from catalog.actions import publish_package_version
from installations.actions import create_installation
from installations.deploy.monitor import check_health
from installations.models import ApplyResult, InventoryEntry

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "packages" / "secret-input"


@pytest.fixture
def secret_install(base, cluster, run_tasks, sensitive):
    version = publish_package_version(base.acme, FIXTURE, user=base.vendor)
    inst = run_tasks(
        create_installation,
        package_version=version,
        customer_workspace=base.globex,
        name="db",
        inputs={"password": sensitive.password},
        user=base.owner,
        cluster=cluster,
        namespace="ns-db",
    )
    inst.refresh_from_db()
    return inst


def test_the_cluster_gets_the_real_secret(secret_install, k8s_emulator, sensitive):
    applied = ApplyResult.objects.get(installation=secret_install)
    assert applied.state == "applied", applied.entries
    live = k8s_emulator.get("Secret", "db-credentials", "ns-db")
    assert base64.b64decode(live["data"]["password"]).decode() == sensitive.password


def test_the_inventory_holds_no_plaintext(secret_install, sensitive):
    stored = json.dumps(list(InventoryEntry.objects.values("applied", "drift")))
    assert sensitive.password not in stored
    assert base64.b64encode(sensitive.password.encode()).decode() not in stored


def test_a_secret_changed_on_the_cluster_is_drift_without_its_value(
    secret_install, k8s_emulator, sensitive
):
    client = k8s_emulator.api_client()
    k8s.CoreV1Api(client).patch_namespaced_secret(
        "db-credentials",
        "ns-db",
        {"data": {"password": base64.b64encode(b"changed-by-someone").decode()}},
        field_manager="kubectl-edit",
    )
    check_health(secret_install)
    entry = InventoryEntry.objects.get(installation=secret_install, kind="Secret")
    paths = [d["path"] for d in entry.drift]
    assert "data.password" in paths
    shown = json.dumps(entry.drift)
    assert "changed-by-someone" not in shown and sensitive.password not in shown
    assert "fp:" in shown
