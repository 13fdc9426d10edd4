"""The demo's installations on the Kubernetes API emulator (`manage.py serve`).

`start()` starts the emulator (`clusters.demo.start_emulator`, only when `manage.py demo
--emulator` registered an emulator cluster) and enqueues an apply of every installation on
an emulator cluster: the emulator keeps everything in memory, so each start is an empty
cluster.
"""

from __future__ import annotations

import subprocess

from clusters.demo import start_emulator
from clusters.models import Cluster
from installations.deploy.assign import latest_render, request_apply
from installations.models import Installation


def start() -> subprocess.Popen | None:
    proc = start_emulator()
    if proc is None:
        return None
    for cluster in Cluster.objects.filter(is_emulator=True):
        for inst in Installation.objects.filter(cluster=cluster).exclude(
            state=Installation.State.DELETED
        ):
            render = latest_render(inst)
            if render is not None:
                request_apply(inst, render)
    return proc
