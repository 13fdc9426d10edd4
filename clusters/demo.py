"""The demo's cluster: the Kubernetes API emulator, clearly labelled, for `manage.py demo
--emulator` and `manage.py serve`.

- `register(workspaces)` stores one cluster per customer workspace named
  "Emulator (not a real cluster)", pointing at http://127.0.0.1:<AKUA_EMULATOR_PORT, 8089>
  with the emulator's token. It does not need the emulator to run.
- `start_emulator()` runs `python -m emulators.kubernetes --port N` as a child process, waits
  until it answers and probes the emulator clusters. `installations.demo.start()` (serve)
  calls it and then applies every installation on them again: the emulator keeps
  everything in memory, so each start is an empty cluster.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import yaml
from django.conf import settings

from clusters.models import Cluster

NAME = "Emulator (not a real cluster)"
TOKEN = "akua-emulator-token"


def port() -> int:
    return int(os.environ.get("AKUA_EMULATOR_PORT", "8089"))


def kubeconfig(port_: int) -> str:
    return yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "emulator", "cluster": {"server": f"http://127.0.0.1:{port_}"}}],
            "users": [{"name": "emulator-admin", "user": {"token": TOKEN}}],
            "contexts": [
                {"name": "emulator", "context": {"cluster": "emulator", "user": "emulator-admin"}}
            ],
            "current-context": "emulator",
        }
    )


def register(workspace) -> Cluster:
    """The emulator cluster of `workspace` (created once; probed when it answers)."""
    from akua import crypto
    from clusters import kubeconfig as kc

    existing = Cluster.objects.filter(workspace=workspace, is_emulator=True).first()
    if existing is not None:
        return existing
    data, _ = kc.read(kubeconfig(port()))
    reduced, summary = kc.reduce(data, "emulator")
    return Cluster.objects.create(
        workspace=workspace,
        name=NAME,
        kubeconfig_encrypted=crypto.encrypt(kc.dump(reduced)),
        context=summary.context,
        server=summary.server,
        user_name=summary.user_name,
        is_emulator=True,
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
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulators.kubernetes", "--port", str(port_)],
        cwd=str(settings.BASE_DIR),
        stdout=subprocess.DEVNULL,
    )
    client = KubeClient.from_kubeconfig(kubeconfig(port_), timeout=(0.5, 2))
    deadline = time.monotonic() + 15
    while True:
        try:
            client.get_json("/version")
            break
        except ClusterError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(
                    f"The Kubernetes API emulator did not start on port {port_}"
                ) from None
            time.sleep(0.2)
    for cluster in Cluster.objects.filter(is_emulator=True):
        actions.probe_cluster(cluster)
    return proc
