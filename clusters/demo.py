"""The demo's cluster: the Kubernetes API emulator, clearly labelled, for `manage.py demo
--emulator` and `manage.py serve`.

- `register(workspaces)` stores one cluster per customer workspace named
  "Emulator (not a real cluster)", pointing at https://127.0.0.1:<AKUA_EMULATOR_PORT, 8089>
  with the emulator's token. It does not need the emulator to run: until the emulator has
  started once, the stored kubeconfig has no CA (`start_emulator` puts it in).
- `start_emulator()` runs `python -m emulators.kubernetes --port N --kubeconfig FILE` as a
  child process (never importing it), waits until it has written its kubeconfig and
  answers, stores that kubeconfig (its CA is made at each start) on the emulator clusters
  and probes them. `installations.demo.start()` (serve) calls it and then applies every
  installation on them again: the emulator keeps everything in memory, so each start is
  an empty cluster.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import yaml
from django.conf import settings

from clusters.models import Cluster

NAME = "Emulator (not a real cluster)"
TOKEN = "akua-emulator-token"


def port() -> int:
    return int(os.environ.get("AKUA_EMULATOR_PORT", "8089"))


def kubeconfig_file() -> Path:
    """Where the running emulator writes its kubeconfig (its CA changes at every start)."""
    return settings.DATA_DIR / "emulator" / "kubeconfig.yaml"


def kubeconfig(port_: int) -> str:
    """The running emulator's kubeconfig, or, before it has run, one without its CA."""
    path = kubeconfig_file()
    if path.exists():
        text = path.read_text()
        if f"https://127.0.0.1:{port_}" in text:
            return text
    return yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "emulator", "cluster": {"server": f"https://127.0.0.1:{port_}"}}],
            "users": [{"name": "emulator-admin", "user": {"token": TOKEN}}],
            "contexts": [
                {"name": "emulator", "context": {"cluster": "emulator", "user": "emulator-admin"}}
            ],
            "current-context": "emulator",
        }
    )


def _reduced(text: str):
    from clusters import kubeconfig as kc

    data, _ = kc.read(text)
    return kc.reduce(data, "emulator")


def register(workspace) -> Cluster:
    """The emulator cluster of `workspace` (created once; probed when it answers)."""
    from clusters.actions import kubeconfig_fields

    existing = Cluster.objects.filter(workspace=workspace, is_emulator=True).first()
    if existing is not None:
        return existing
    return Cluster.objects.create(
        workspace=workspace,
        name=NAME,
        **kubeconfig_fields(*_reduced(kubeconfig(port()))),
        is_emulator=True,
    )


def _store_kubeconfig(text: str) -> None:
    from akua import crypto
    from clusters import kubeconfig as kc

    reduced, summary = _reduced(text)
    Cluster.objects.filter(is_emulator=True).update(
        kubeconfig_encrypted=crypto.encrypt(kc.dump(reduced)), server=summary.server
    )


def emulator_port() -> int | None:
    """The port the registered emulator clusters point at, or None when there are none."""
    cluster = Cluster.objects.filter(is_emulator=True).first()
    if cluster is None:
        return None
    return int(cluster.server.rsplit(":", 1)[-1])


def start_emulator() -> subprocess.Popen | None:
    """Start the emulator child process if any emulator cluster is registered; probe them."""
    from clusters import actions
    from clusters.client import ClusterError, KubeClient

    port_ = emulator_port()
    if port_ is None:
        return None
    path = kubeconfig_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "emulators.kubernetes", "--port", str(port_)),
            *("--token", TOKEN, "--kubeconfig", str(path)),
        ],
        cwd=str(settings.BASE_DIR),
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15

    def wait(what: str) -> None:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"The Kubernetes API emulator did not {what} on port {port_}")
        time.sleep(0.2)

    while not path.exists():
        wait("start")
    text = path.read_text()
    client = KubeClient.from_kubeconfig(text, timeout=(0.5, 2))
    while True:
        try:
            client.get_json("/version")
            break
        except ClusterError:
            wait("answer")
    client.close()
    _store_kubeconfig(text)
    for cluster in Cluster.objects.filter(is_emulator=True):
        actions.probe_cluster(cluster)
    return proc
