"""A cluster that stops answering makes installations unknown, never healthy; delete cleans up;
the kubeconfig stays secret; import errors in words."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from clusters import actions
from clusters.models import Cluster
from emulators.kubernetes import eventually
from installations.actions import delete_installation
from installations.deploy import monitor


def _state(inst, want):
    def probe():
        inst.refresh_from_db()
        return monitor.check_health(inst) == want

    return probe


def test_an_unreachable_cluster_makes_it_unknown_then_healthy_again(installed, k8s_emulator):
    inst = installed()
    eventually(_state(inst, "healthy"))
    k8s_emulator.set_unreachable(True)
    assert monitor.check_health(inst) == "unknown"
    inst.refresh_from_db()
    assert inst.state == "unknown"
    assert "Connection refused" in inst.state_reason
    assert set(inst.inventory.values_list("health", flat=True)) == {"unknown"}
    k8s_emulator.set_unreachable(False)
    eventually(_state(inst, "healthy"))
    states = list(inst.events.order_by("created_at", "id").values_list("to_state", flat=True))
    assert states[-2:] == ["unknown", "healthy"]


def test_an_install_while_the_cluster_is_down_is_applied_when_it_is_back(
    installed, k8s_emulator, run_tasks
):
    k8s_emulator.set_unreachable(True)
    inst = installed()
    assert inst.state == "unknown"
    k8s_emulator.set_unreachable(False)
    run_tasks(monitor.check_health, inst)
    eventually(_state(inst, "healthy"))
    assert k8s_emulator.get("Deployment", "web", "ns-web") is not None


def test_delete_removes_the_objects_then_marks_it_deleted(installed, k8s_emulator, base):
    inst = installed(extra=True)
    delete_installation(inst, user=base.owner)
    inst.refresh_from_db()
    assert inst.state == "deleted"
    assert k8s_emulator.get("Deployment", "web", "ns-web") is None
    assert k8s_emulator.get("ConfigMap", "extra", "ns-web") is None
    # created by Akua: removed last (the namespace controller empties it, then it goes)
    eventually(lambda: k8s_emulator.get("Namespace", "ns-web") is None, what="namespace gone")
    last = inst.applies.first()
    assert last.state == "deleted"
    assert last.entries[-1]["subject"] == "Namespace/ns-web"


def test_delete_keeps_what_is_marked_to_stay_and_so_its_namespace(installed, k8s_emulator, base):
    inst = installed(keep=True)
    delete_installation(inst, user=base.owner)
    assert k8s_emulator.get("Deployment", "web", "ns-web") is None
    assert k8s_emulator.get("ConfigMap", "kept", "ns-web") is not None
    assert k8s_emulator.get("Namespace", "ns-web") is not None
    entries = {e["subject"]: e for e in inst.applies.first().entries}
    assert entries["Namespace/ns-web"]["message"] == (
        "Kept: other objects are in it (ConfigMap/ns-web/kept)"
    )


def test_delete_refuses_while_the_cluster_is_down(installed, k8s_emulator, base):
    inst = installed()
    k8s_emulator.set_unreachable(True)
    with pytest.raises(actions.ClusterActionError, match="did not answer"):
        delete_installation(inst, user=base.owner)
    inst.refresh_from_db()
    assert inst.state != "deleted"


def test_the_kubeconfig_is_stored_encrypted_never_in_git_or_logs(
    installed, k8s_emulator, caplog, settings
):
    caplog.set_level(logging.DEBUG)
    inst = installed()
    token = k8s_emulator.token
    cluster = Cluster.objects.get()
    assert token.encode() not in bytes(cluster.kubeconfig_encrypted)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM clusters_cluster")
        assert token not in repr(cursor.fetchall())
    for path in settings.REPOS_DIR.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
    assert token not in caplog.text
    assert inst.state in ("syncing", "healthy")


def test_import_says_why_a_cluster_is_unreachable(base, k8s_emulator):
    port = k8s_emulator.port
    k8s_emulator.set_unreachable(True)
    cluster = actions.import_cluster(
        workspace=base.globex, name="down", kubeconfig_text=k8s_emulator.kubeconfig()
    )
    assert cluster.reachable is False
    assert cluster.unreachable_reason.startswith("Connection refused")
    assert f"127.0.0.1:{port}" in cluster.unreachable_reason


def test_import_says_when_credentials_are_rejected(base, k8s_emulator):
    text = k8s_emulator.kubeconfig().replace(k8s_emulator.token, "wrong-token")
    cluster = actions.import_cluster(workspace=base.globex, name="bad", kubeconfig_text=text)
    assert cluster.reachable is False
    assert "401" in cluster.unreachable_reason and "rejected" in cluster.unreachable_reason


def test_import_reads_what_the_cluster_offers(base, k8s_emulator):
    cluster = actions.import_cluster(
        workspace=base.globex, name="ok", kubeconfig_text=k8s_emulator.kubeconfig()
    )
    assert cluster.reachable is True
    assert cluster.server_version.startswith("v1.31")
    assert cluster.node_count == 3
    assert cluster.storage_classes == ["standard (default)"]
    assert cluster.ingress_classes == ["nginx (default)"]
    assert "apps/v1" in cluster.api_groups
    assert (cluster.server, cluster.context, cluster.user_name) == (
        k8s_emulator.url,
        "emulator",
        "emulator-admin",
    )
