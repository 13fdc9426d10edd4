"""The demo's emulator cluster: registered before the emulator runs, then started as a child
process (`python -m emulators.kubernetes`) that Akua reaches over HTTPS with its CA."""

from __future__ import annotations

import socket

import pytest
import yaml

from akua import crypto
from clusters import demo
from clusters.client import KubeClient


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def emulator_port(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path / "data"
    port = _free_port()
    monkeypatch.setenv("AKUA_EMULATOR_PORT", str(port))
    return port


def _kubeconfig(cluster) -> dict:
    return yaml.safe_load(crypto.decrypt(bytes(cluster.kubeconfig_encrypted)))


def _reloaded(cluster):
    cluster.refresh_from_db()
    return cluster


def test_the_demo_starts_the_emulator_and_reaches_it_over_https(base, emulator_port):
    cluster = demo.register(base.globex)
    assert cluster.name == "Emulator (not a real cluster)" and cluster.is_emulator
    assert cluster.server == f"https://127.0.0.1:{emulator_port}"
    proc = demo.start_emulator()
    try:
        cluster.refresh_from_db()
        assert cluster.reachable, cluster.unreachable_reason
        assert cluster.server_version.startswith("v1.31")
        stored = _kubeconfig(cluster)
        assert stored["clusters"][0]["cluster"]["certificate-authority-data"]
        client = KubeClient.from_kubeconfig(stored)
        assert client.get_json("/api/v1/namespaces/default")["metadata"]["name"] == "default"
        client.close()
        # a workspace registered while it runs gets the running emulator's kubeconfig
        later = demo.register(base.initech)
        assert _kubeconfig(later)["clusters"] == stored["clusters"]
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_second_start_is_a_new_cluster_with_a_new_ca(base, emulator_port):
    cluster = demo.register(base.globex)
    first = demo.start_emulator()
    first.terminate()
    first.wait(10)
    ca = _kubeconfig(_reloaded(cluster))["clusters"][0]["cluster"]["certificate-authority-data"]
    second = demo.start_emulator()
    try:
        again = _reloaded(cluster)
        assert again.reachable, again.unreachable_reason
        assert _kubeconfig(again)["clusters"][0]["cluster"]["certificate-authority-data"] != ca
    finally:
        second.terminate()
        second.wait(10)
