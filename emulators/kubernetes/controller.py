"""The simulated controllers: a thread that, every `tick` seconds, moves objects' status.

Time is measured from the moment the controller first sees an object's current pod template
(or, for Jobs, Services, Ingresses and PVCs, the object itself):

- Deployment: observedGeneration catches up on the first tick; a ReplicaSet `<name>-<hash>` and
  its Pods are created; after `ready_after` seconds updated/ready/available replicas reach
  spec.replicas, Available=True and Progressing=True (NewReplicaSetAvailable). While a new
  template rolls out, the previous ReplicaSet's pods stay available. When any container
  image tag ends in `-fail` it never becomes available and, after `progress_deadline`
  seconds, reports Progressing=False reason ProgressDeadlineExceeded. Its pods wait in
  CrashLoopBackOff (`-pull-fail`: ImagePullBackOff). `spec.paused` stops the rollout.
- StatefulSet: readyReplicas, currentRevision/updateRevision `<name>-<hash>`.
- DaemonSet: one pod per Node: desired/current/updated/ready/available numbers.
- Job: active, then Complete (succeeded = completions) or, with a `-fail` image, Failed
  reason BackoffLimitExceeded; `spec.suspend` -> Suspended.
- Service of type LoadBalancer and Ingress: status.loadBalancer.ingress after `ready_after`.
- PersistentVolumeClaim: Pending, then Bound (stays Pending if its StorageClass is missing).
- CustomResourceDefinition: NamesAccepted and Established on the next tick; only then is
  its kind served.

Writes happen only when a status really changes, so resourceVersion stays put on a settled
cluster, and an object unchanged for longer than `ready_after` and `progress_deadline` is
skipped until it changes (so a Pod deleted by hand is not recreated). A PVC waiting for a
missing StorageClass keeps being looked at. `Controller.step()` runs one pass and can be
called directly.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
import time

from .resources import ResourceType
from .store import Record, Store, now_iso

_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def _hash(value, n: int = 10) -> str:
    digest = hashlib.sha256(json.dumps(value, sort_keys=True).encode()).digest()
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:n])


def image_failure(template: dict) -> str | None:
    """`ImagePullBackOff` / `CrashLoopBackOff` when an image tag says so, else None."""
    containers = ((template or {}).get("spec") or {}).get("containers") or []
    worst = None
    for c in containers:
        image = (c.get("image") or "").split("@", 1)[0]
        tag = image.rsplit("/", 1)[-1].partition(":")[2]
        if tag.endswith("-pull-fail"):
            return "ImagePullBackOff"
        if tag.endswith("-fail"):
            worst = "CrashLoopBackOff"
    return worst


def set_condition(
    status: dict, type_: str, value: str, reason: str, message: str, update_time: bool = False
):
    conditions = status.setdefault("conditions", [])
    now = now_iso()
    for c in conditions:
        if c["type"] == type_:
            if (c["status"], c.get("reason"), c.get("message")) != (value, reason, message):
                if c["status"] != value:
                    c["lastTransitionTime"] = now
                if update_time:
                    c["lastUpdateTime"] = now
                c.update(status=value, reason=reason, message=message)
            return
    cond = {
        "type": type_,
        "status": value,
        "reason": reason,
        "message": message,
        "lastTransitionTime": now,
    }
    if update_time:
        cond["lastUpdateTime"] = now
    conditions.append(cond)


def _set_counts(status: dict, **counts: int) -> None:
    """Kubernetes omits zero counts (omitempty)."""
    for key, value in counts.items():
        if value:
            status[key] = value
        else:
            status.pop(key, None)


class Controller:
    def __init__(self, store: Store, settings):
        self.store = store
        self.settings = settings  # the Emulator: ready_after, progress_deadline, tick
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

    def _rt(self, group: str, plural: str) -> ResourceType:
        version = {"": "v1", "apps": "v1"}[group]
        return self.store.registry.lookup(group, version, plural)

    def step(self) -> None:
        now = time.monotonic()
        handlers = {
            ("apps", "deployments"): self._deployment,
            ("apps", "statefulsets"): self._statefulset,
            ("apps", "daemonsets"): self._daemonset,
            ("batch", "jobs"): self._job,
            ("", "services"): self._service,
            ("networking.k8s.io", "ingresses"): self._ingress,
            ("", "persistentvolumeclaims"): self._pvc,
            ("apiextensions.k8s.io", "customresourcedefinitions"): self._crd,
        }
        # Every transition happens `ready_after` or `progress_deadline` after a change, so an
        # object unchanged for longer than both is settled and skipped until it changes again.
        horizon = (
            max(self.settings.ready_after, self.settings.progress_deadline) + self.settings.tick
        )
        with self.store.lock:
            for rec in list(self.store.records.values()):
                handler = handlers.get(rec.rt.storage_key)
                version = rec.obj["metadata"].get("resourceVersion")
                if handler is None or rec.sim.get("settled") == version:
                    continue
                if self.store.records.get(rec.key) is rec:
                    handler(rec, now)
                    unchanged = rec.obj["metadata"].get("resourceVersion") == version
                    if unchanged and now - rec.sim.get("since", now) > horizon:
                        rec.sim["settled"] = version

    # -- helpers -----------------------------------------------------------------------------

    def _rollout(self, rec: Record, now: float, template) -> tuple[str, float, dict]:
        """The current template's hash and the time it was first seen."""
        h = _hash(template)
        sim = rec.sim
        if sim.get("hash") != h:
            sim["hash"], sim["since"] = h, now
        return h, now - sim["since"], sim

    def _write_status(self, rec: Record, status: dict) -> None:
        if rec.obj.get("status") != status:
            new = copy.deepcopy(rec.obj)
            new["status"] = status
            self.store.system_write(rec, new)

    # -- Deployment, its ReplicaSets and Pods ---------------------------------------------------

    def _deployment(self, rec: Record, now: float) -> None:
        obj, s = rec.obj, self.settings
        spec = obj.get("spec") or {}
        name = obj["metadata"]["name"]
        template = spec.get("template") or {}
        replicas = spec.get("replicas", 1)
        sim, h = rec.sim, _hash(template)
        if sim.get("hash") != h:
            if sim.get("hash"):  # a new template: the previous ReplicaSet's pods keep serving
                sim["old"] = (sim["hash"], sim.get("available", 0))
            sim["hash"], sim["since"] = h, now
        elapsed = now - sim["since"]
        status = copy.deepcopy(obj.get("status") or {})
        status["observedGeneration"] = obj["metadata"]["generation"]
        rs_name = f"{name}-{h}"
        if spec.get("paused"):
            set_condition(
                status, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", True
            )
            self._write_status(rec, status)
            return
        failure = image_failure(template)
        ready = failure is None and elapsed >= s.ready_after
        if ready:
            sim.pop("old", None)
        old_hash, old_available = sim.get("old", (None, 0))
        old_available = min(old_available, replicas)
        available = replicas if ready else old_available
        sim["available"] = available
        _set_counts(
            status,
            replicas=replicas + (0 if ready else old_available),
            updatedReplicas=replicas,
            readyReplicas=available,
            availableReplicas=available,
            unavailableReplicas=replicas - available,
        )
        min_available = replicas - (replicas * 25 // 100)
        if available >= min_available:
            set_condition(
                status,
                "Available",
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.",
                True,
            )
        else:
            set_condition(
                status,
                "Available",
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
                True,
            )
        if ready:
            set_condition(
                status,
                "Progressing",
                "True",
                "NewReplicaSetAvailable",
                f'ReplicaSet "{rs_name}" has successfully progressed.',
                True,
            )
        elif failure and elapsed >= s.progress_deadline:
            set_condition(
                status,
                "Progressing",
                "False",
                "ProgressDeadlineExceeded",
                f'ReplicaSet "{rs_name}" has timed out progressing.',
                True,
            )
        else:
            set_condition(
                status,
                "Progressing",
                "True",
                "ReplicaSetUpdated",
                f'ReplicaSet "{rs_name}" is progressing.',
                True,
            )
        self._write_status(rec, status)

        pod_state = (
            "running"
            if ready
            else (failure if failure and elapsed >= s.ready_after else "creating")
        )
        self._replicaset(rec, h, template, replicas, pod_state, replicas if ready else 0)
        for other in sim.setdefault("replicasets", {}):
            if other != h:
                count = old_available if other == old_hash else 0
                self._replicaset(rec, other, sim["replicasets"][other], count, "running", count)
        sim["replicasets"][h] = template

    def _replicaset(
        self, dep: Record, h: str, template: dict, replicas: int, pod_state: str, available: int
    ):
        rs_type = self._rt("apps", "replicasets")
        dep_meta = dep.obj["metadata"]
        name, ns = f"{dep_meta['name']}-{h}", dep_meta["namespace"]
        labels = {**((template.get("metadata") or {}).get("labels") or {}), "pod-template-hash": h}
        rs = self.store.find(rs_type, ns, name)
        spec = {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                **template,
                "metadata": {**(template.get("metadata") or {}), "labels": labels},
            },
        }
        if rs is None:
            obj = {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "metadata": {
                    "name": name,
                    "namespace": ns,
                    "labels": labels,
                    "ownerReferences": [_owner(dep)],
                },
                "spec": spec,
            }
            rs = self.store.system_create(rs_type, obj)
        elif rs.obj.get("spec") != spec:
            new = copy.deepcopy(rs.obj)
            new["spec"] = spec
            self.store.system_write(rs, new)
        status = {"observedGeneration": rs.obj["metadata"]["generation"], "replicas": replicas}
        _set_counts(
            status,
            fullyLabeledReplicas=replicas,
            readyReplicas=available,
            availableReplicas=available,
        )
        self._write_status(rs, status)
        self._pods(rs, replicas, pod_state)

    def _pods(self, owner: Record, count: int, state: str) -> None:
        pod_type = self._rt("", "pods")
        meta = owner.obj["metadata"]
        template = owner.obj["spec"]["template"]
        wanted = {f"{meta['name']}-{_hash([meta['uid'], i], 5)}" for i in range(count)}
        for name in owner.sim.get("pods", set()) - wanted:
            rec = self.store.find(pod_type, meta["namespace"], name)
            if rec is not None:
                self.store._remove(rec)
        owner.sim["pods"] = wanted
        for i, name in enumerate(sorted(wanted)):
            pod = self.store.find(pod_type, meta["namespace"], name)
            if pod is None:
                pod_spec = copy.deepcopy(template.get("spec") or {})
                pod_spec.setdefault("restartPolicy", "Always")
                pod_spec["nodeName"] = f"emulator-node-{i % 3 + 1}"
                obj = {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {
                        "name": name,
                        "namespace": meta["namespace"],
                        "labels": (template.get("metadata") or {}).get("labels") or {},
                        "ownerReferences": [_owner(owner)],
                    },
                    "spec": pod_spec,
                }
                pod = self.store.system_create(pod_type, obj)
                pod.sim["started"] = now_iso()
            self._write_status(pod, _pod_status(pod, state, i))
            pod.sim["state"] = state

    # -- the other workloads ---------------------------------------------------------------------

    def _statefulset(self, rec: Record, now: float) -> None:
        obj = rec.obj
        spec = obj.get("spec") or {}
        replicas = spec.get("replicas", 1)
        h, elapsed, sim = self._rollout(rec, now, spec.get("template") or {})
        revision = f"{obj['metadata']['name']}-{h}"
        ready = image_failure(spec.get("template")) is None and elapsed >= self.settings.ready_after
        if ready:
            sim["current"] = revision
        status = copy.deepcopy(obj.get("status") or {})
        status.update(
            observedGeneration=obj["metadata"]["generation"],
            replicas=replicas,
            currentRevision=sim.get("current", revision),
            updateRevision=revision,
            collisionCount=0,
        )
        _set_counts(
            status,
            readyReplicas=replicas if ready else 0,
            availableReplicas=replicas if ready else 0,
            currentReplicas=replicas if ready or sim.get("current", revision) == revision else 0,
            updatedReplicas=replicas if ready else 0,
        )
        self._write_status(rec, status)

    def _daemonset(self, rec: Record, now: float) -> None:
        obj = rec.obj
        spec = obj.get("spec") or {}
        desired = len(self.store.select(self._rt("", "nodes")))
        _, elapsed, _ = self._rollout(rec, now, spec.get("template") or {})
        ready = image_failure(spec.get("template")) is None and elapsed >= self.settings.ready_after
        status = {"observedGeneration": obj["metadata"]["generation"]}
        _set_counts(
            status,
            desiredNumberScheduled=desired,
            currentNumberScheduled=desired,
            updatedNumberScheduled=desired,
            numberMisscheduled=0,
            numberReady=desired if ready else 0,
            numberAvailable=desired if ready else 0,
            numberUnavailable=0 if ready else desired,
        )
        status.setdefault("numberMisscheduled", 0)
        status.setdefault("desiredNumberScheduled", 0)
        status.setdefault("currentNumberScheduled", 0)
        status.setdefault("numberReady", 0)
        self._write_status(rec, status)

    def _job(self, rec: Record, now: float) -> None:
        obj = rec.obj
        spec = obj.get("spec") or {}
        sim = rec.sim
        status = copy.deepcopy(obj.get("status") or {})
        finished = any(c["type"] in ("Complete", "Failed") for c in status.get("conditions", []))
        if finished:
            return
        if spec.get("suspend"):
            set_condition(status, "Suspended", "True", "JobSuspended", "Job suspended")
            status.pop("active", None)
            sim.pop("since", None)
            self._write_status(rec, status)
            return
        sim.setdefault("since", now)
        status.setdefault("startTime", now_iso())
        if any(c["type"] == "Suspended" for c in status.get("conditions", [])):
            set_condition(status, "Suspended", "False", "JobResumed", "Job resumed")
        if now - sim["since"] < self.settings.ready_after:
            _set_counts(status, active=spec.get("parallelism", 1))
            status["ready"] = 0
        elif image_failure(spec.get("template")):
            status.pop("active", None)
            status["failed"] = spec.get("backoffLimit", 6) + 1
            message = "Job has reached the specified backoff limit"
            set_condition(status, "FailureTarget", "True", "BackoffLimitExceeded", message)
            set_condition(status, "Failed", "True", "BackoffLimitExceeded", message)
        else:
            status.pop("active", None)
            status["succeeded"] = spec.get("completions", 1)
            status["completionTime"] = now_iso()
            set_condition(
                status,
                "SuccessCriteriaMet",
                "True",
                "CompletionsReached",
                "Reached expected number of succeeded pods",
            )
            set_condition(
                status,
                "Complete",
                "True",
                "CompletionsReached",
                "Reached expected number of succeeded pods",
            )
        self._write_status(rec, status)

    def _load_balanced(self, rec: Record, now: float, wanted: bool) -> None:
        since = rec.sim.setdefault("since", now)
        ip = f"198.51.100.{int(rec.obj['metadata']['uid'][:2], 16) % 250 + 1}"
        if wanted and now - since >= self.settings.ready_after:
            entry = {"ip": ip, "ipMode": "VIP"} if rec.rt.kind == "Service" else {"ip": ip}
            status = {"loadBalancer": {"ingress": [entry]}}
        else:
            status = {"loadBalancer": {}}
        self._write_status(rec, status)

    def _service(self, rec: Record, now: float) -> None:
        self._load_balanced(rec, now, (rec.obj.get("spec") or {}).get("type") == "LoadBalancer")

    def _ingress(self, rec: Record, now: float) -> None:
        self._load_balanced(rec, now, True)

    def _pvc(self, rec: Record, now: float) -> None:
        obj = rec.obj
        spec = obj.get("spec") or {}
        since = rec.sim.setdefault("since", now)
        if (obj.get("status") or {}).get("phase") == "Bound":
            return
        class_name = spec.get("storageClassName")
        sc_type = self.store.registry.lookup("storage.k8s.io", "v1", "storageclasses")
        missing_class = class_name and self.store.find(sc_type, None, class_name) is None
        if missing_class:
            rec.sim["since"] = now  # never settles: the class may be created later
        if missing_class or now - since < self.settings.ready_after:
            self._write_status(rec, {"phase": "Pending"})
            return
        new = copy.deepcopy(obj)
        new["spec"]["volumeName"] = f"pvc-{obj['metadata']['uid']}"
        new["spec"].setdefault("storageClassName", "standard")
        new["status"] = {
            "phase": "Bound",
            "accessModes": spec.get("accessModes") or ["ReadWriteOnce"],
            "capacity": {
                "storage": ((spec.get("resources") or {}).get("requests") or {}).get(
                    "storage", "1Gi"
                )
            },
        }
        self.store.system_write(rec, new)

    def _crd(self, rec: Record, now: float) -> None:
        spec = rec.obj.get("spec") or {}
        names = spec.get("names") or {}
        served = [v for v in spec.get("versions") or [] if v.get("served", True)]
        types = [
            ResourceType(
                spec.get("group", ""),
                v["name"],
                names.get("plural", ""),
                names.get("kind", ""),
                spec.get("scope", "Namespaced") == "Namespaced",
                tuple(names.get("shortNames") or ()),
                ("status",) if (v.get("subresources") or {}).get("status") is not None else (),
                False,
                names.get("singular", ""),
            )
            for v in served
        ]
        if rec.sim.get("types") != types:
            self.store.registry.remove_group_resource(
                spec.get("group", ""), names.get("plural", "")
            )
            self.store.registry.add(types)
            rec.sim["types"] = types
        status = copy.deepcopy(rec.obj.get("status") or {})
        set_condition(status, "NamesAccepted", "True", "NoConflicts", "no conflicts found")
        set_condition(
            status,
            "Established",
            "True",
            "InitialNamesAccepted",
            "the initial names have been accepted",
        )
        status["acceptedNames"] = names
        status["storedVersions"] = [
            v["name"] for v in spec.get("versions") or [] if v.get("storage")
        ]
        self._write_status(rec, status)


def _owner(rec: Record) -> dict:
    return {
        "apiVersion": rec.rt.api_version,
        "kind": rec.rt.kind,
        "name": rec.obj["metadata"]["name"],
        "uid": rec.obj["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def _pod_status(pod: Record, state: str, index: int) -> dict:
    """A Pod's status in one of the states: creating, running, CrashLoopBackOff, ImagePullBackOff."""
    started = pod.sim["started"]
    spec = pod.obj["spec"]
    running = state == "running"
    ready = "True" if running else "False"
    cond_time = started
    conditions = [
        {"type": "PodReadyToStartContainers", "status": "False" if state == "creating" else "True"},
        {"type": "Initialized", "status": "True"},
        {"type": "Ready", "status": ready},
        {"type": "ContainersReady", "status": ready},
        {"type": "PodScheduled", "status": "True"},
    ]
    for c in conditions:
        c["lastTransitionTime"] = cond_time
        if c["status"] == "False" and c["type"] in ("Ready", "ContainersReady"):
            c["reason"] = "ContainersNotReady"
            names = " ".join(ct["name"] for ct in spec.get("containers") or [])
            c["message"] = f"containers with unready status: [{names}]"
    statuses = []
    for c in spec.get("containers") or []:
        entry = {
            "name": c["name"],
            "image": c.get("image", ""),
            "imageID": "",
            "ready": running,
            "restartCount": 0,
            "started": running,
        }
        if running:
            entry["imageID"] = f"docker.io/library/{c.get('image', '')}@sha256:{'0' * 64}"
            entry["state"] = {"running": {"startedAt": started}}
        elif state == "CrashLoopBackOff":
            entry["imageID"] = f"docker.io/library/{c.get('image', '')}@sha256:{'0' * 64}"
            entry["restartCount"] = 3
            entry["state"] = {
                "waiting": {
                    "reason": "CrashLoopBackOff",
                    "message": f"back-off 40s restarting failed container={c['name']} pod={pod.obj['metadata']['name']}_"
                    f"{pod.obj['metadata']['namespace']}({pod.obj['metadata']['uid']})",
                }
            }
            entry["lastState"] = {
                "terminated": {
                    "exitCode": 1,
                    "reason": "Error",
                    "startedAt": started,
                    "finishedAt": started,
                }
            }
        elif state == "ImagePullBackOff":
            entry["state"] = {
                "waiting": {
                    "reason": "ImagePullBackOff",
                    "message": f'Back-off pulling image "{c.get("image", "")}"',
                }
            }
        else:
            entry["state"] = {"waiting": {"reason": "ContainerCreating"}}
        statuses.append(entry)
    return {
        "phase": "Running" if state in ("running", "CrashLoopBackOff") else "Pending",
        "conditions": conditions,
        "hostIP": f"172.18.0.{index % 3 + 2}",
        "podIP": f"10.244.{index % 3}.{int(pod.obj['metadata']['uid'][:2], 16) % 250 + 2}",
        "startTime": started,
        "containerStatuses": statuses,
        "qosClass": "BestEffort",
    }


def pod_log(pod: dict, container: str | None, state: str | None) -> list[str]:
    """A few log lines for a pod's container, as its (simulated) program would print them."""
    containers = [c["name"] for c in pod["spec"].get("containers") or []]
    name = container or containers[0]
    image = next((c.get("image", "") for c in pod["spec"]["containers"] if c["name"] == name), "")
    t = pod["metadata"].get("creationTimestamp", "")
    lines = [
        f"{t} INFO starting {name} ({image})",
        f"{t} INFO loading configuration from /etc/{name}/config.yaml",
        f"{t} INFO connected to dependencies",
    ]
    if state == "CrashLoopBackOff":
        lines += [
            f"{t} ERROR configuration is invalid: missing required setting",
            f"{t} FATAL exiting with status 1",
        ]
    else:
        lines += [f"{t} INFO listening on :8080", f"{t} INFO ready to serve requests"]
    return lines
