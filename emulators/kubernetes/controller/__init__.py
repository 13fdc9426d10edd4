"""The simulated controllers: a thread that, every `tick` seconds, moves objects' status.

Time is measured from the moment the controller first sees an object's current pod template
(or, for the other kinds, the object itself). What each kind does is in its module:
`deployments.py` (Deployment, its ReplicaSets and Pods), `workloads.py` (StatefulSet,
DaemonSet), `jobs.py` (Job, its Pods, TTL after finishing), `network.py` (LoadBalancer
Service, Ingress), `storage.py` (PersistentVolumeClaim), `autoscaling.py`
(HorizontalPodAutoscaler, PodDisruptionBudget), `apis.py` (CustomResourceDefinition,
APIService), `namespaces.py` (a Namespace being deleted), `pods.py` (Pod status and logs).

Writes happen only when a status really changes, so resourceVersion stays put on a settled
cluster, and an object unchanged for longer than `ready_after` and `progress_deadline` is
skipped until it changes (so a Pod deleted by hand is not recreated), unless its handler
asked to be woken later (`wake`, a Job's TTL) or never records when it started (kinds that
follow other objects: HPA, PDB, CRD). `Controller.step()` runs one pass and can be called
directly.
"""

from __future__ import annotations

import copy
import threading
import time

from ..resources import ResourceType
from ..store import Record, Store
from . import apis, autoscaling, deployments, jobs, namespaces, network, storage, workloads
from .common import short_hash
from .pods import pod_log

__all__ = ["Controller", "pod_log"]

HANDLERS = {
    ("", "namespaces"): namespaces.namespace,
    ("apps", "deployments"): deployments.deployment,
    ("apps", "statefulsets"): workloads.stateful_set,
    ("apps", "daemonsets"): workloads.daemon_set,
    ("batch", "jobs"): jobs.job,
    ("", "services"): network.service,
    ("networking.k8s.io", "ingresses"): network.ingress,
    ("", "persistentvolumeclaims"): storage.claim,
    ("autoscaling", "horizontalpodautoscalers"): autoscaling.horizontal_pod_autoscaler,
    ("policy", "poddisruptionbudgets"): autoscaling.pod_disruption_budget,
    ("apiextensions.k8s.io", "customresourcedefinitions"): apis.custom_resource_definition,
    ("apiregistration.k8s.io", "apiservices"): apis.api_service,
}


class Controller:
    def __init__(self, store: Store, settings):
        self.store = store
        self.settings = settings  # the Emulator: ready_after, progress_deadline, tick, nodes
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, name="k8s-emulator-controller", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.settings.tick):
            self.step()

    def step(self) -> None:
        now = time.monotonic()
        # Every transition happens `ready_after` or `progress_deadline` after a change, so an
        # object unchanged for longer than both is settled and skipped until it changes again.
        horizon = (
            max(self.settings.ready_after, self.settings.progress_deadline) + self.settings.tick
        )
        with self.store.lock:
            for rec in list(self.store.records.values()):
                handler = HANDLERS.get(rec.rt.storage_key)
                version = rec.obj["metadata"].get("resourceVersion")
                if handler is None or rec.sim.get("settled") == version:
                    continue
                if self.store.records.get(rec.key) is rec:
                    handler(self, rec, now)
                    unchanged = rec.obj["metadata"].get("resourceVersion") == version
                    if (
                        unchanged
                        and now - rec.sim.get("since", now) > horizon
                        and now >= rec.sim.get("wake", 0)
                    ):
                        rec.sim["settled"] = version

    # -- for the handlers --------------------------------------------------------------------

    def rt(self, group: str, version: str, plural: str) -> ResourceType:
        return self.store.registry.lookup(group, version, plural)

    def rollout(self, rec: Record, now: float, template) -> tuple[str, float, dict]:
        """The current template's hash and how long ago it was first seen."""
        h = short_hash(template)
        sim = rec.sim
        if sim.get("hash") != h:
            sim["hash"], sim["since"] = h, now
        return h, now - sim["since"], sim

    def ready(self, sim: dict, h: str, elapsed: float) -> bool:
        """Whether template `h` is ready: `ready_after` has passed since it was first seen,
        or it was ready before. Pods that became ready stay ready, as on a cluster, so a
        test that raises `ready_after` to hold the next rollout cannot unready the current
        one if the controller runs in between."""
        if sim.get("ready") != h and elapsed >= self.settings.ready_after:
            sim["ready"] = h
        return sim.get("ready") == h

    def write_status(self, rec: Record, status: dict) -> None:
        if rec.obj.get("status") != status:
            new = copy.deepcopy(rec.obj)
            new["status"] = status
            self.store.system_write(rec, new)
