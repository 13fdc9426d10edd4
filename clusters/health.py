"""Health of live Kubernetes objects, by Argo CD's rules (gitops-engine `pkg/health`).

Pure functions over the object as the API returns it (a dict, as `kubectl get -o yaml`
shows it): `assess(obj)` dispatches to one function per kind and returns a `HealthResult`.
Kinds without a rule are healthy once they exist; `missing(subject)` is the result for an
object that should exist and does not.

Where this differs from Argo CD, on purpose:

- `missing()` answers `degraded`, not Argo CD's `missing`: an object Akua applied that is
  gone is a fault the installation shows (DESIGN.md §6). `HealthStatus.MISSING` stays in
  the order for callers that mean "not applied yet".
- Job conditions count only with status "True" (Argo CD reads the type alone), and
  `spec.suspend` suspends as the Suspended condition does. (HPA conditions are read as
  Argo CD reads them, by type and reason alone.)
- Messages are filled in where Argo CD leaves them empty (PVC, Service, Ingress, healthy
  Deployment), so the per-object table always says something.

Beyond gitops-engine's kinds (workloads, Job, Pod, Service, Ingress, PVC, HPA, APIService,
CRD), the rules Argo CD ships as resource customizations for built-in kinds are here too:
PodDisruptionBudget and CronJob.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import total_ordering


@total_ordering
class HealthStatus(Enum):
    """Argo CD's health codes, in its order from best to worst (`health.IsWorse`)."""

    HEALTHY = "healthy"
    SUSPENDED = "suspended"
    PROGRESSING = "progressing"
    MISSING = "missing"
    DEGRADED = "degraded"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    def __lt__(self, other: HealthStatus) -> bool:
        if not isinstance(other, HealthStatus):
            return NotImplemented
        return self.rank < other.rank


_ORDER = list(HealthStatus)


def is_worse(a: HealthStatus, b: HealthStatus) -> bool:
    """Whether `a` is worse than `b` (unknown is the worst: a cluster that does not answer)."""
    return a.rank > b.rank


def worst(statuses: Iterable[HealthStatus]) -> HealthStatus:
    """The worst of `statuses`; healthy when there are none."""
    return max(statuses, key=lambda s: s.rank, default=HealthStatus.HEALTHY)


@dataclass(frozen=True)
class HealthResult:
    status: HealthStatus
    message: str = ""


Healthy = HealthStatus.HEALTHY
Suspended = HealthStatus.SUSPENDED
Progressing = HealthStatus.PROGRESSING
Degraded = HealthStatus.DEGRADED
Unknown = HealthStatus.UNKNOWN


def subject(obj: dict) -> str:
    """`Kind/namespace/name` (`Kind/name` for cluster-scoped objects)."""
    meta = obj.get("metadata") or {}
    parts = [obj.get("kind", "?"), meta.get("namespace"), meta.get("name", "?")]
    return "/".join(p for p in parts if p)


def missing(subject: str) -> HealthResult:
    """An object that should be on the cluster and is not."""
    return HealthResult(Degraded, f"{subject} is missing from the cluster")


def unreachable(reason: str) -> HealthResult:
    """What every object is when its cluster does not answer: unknown, never healthy."""
    return HealthResult(Unknown, f"The cluster did not answer: {reason}")


# -- helpers ------------------------------------------------------------------------------------


def _spec(obj: dict) -> dict:
    return obj.get("spec") or {}


def _status(obj: dict) -> dict:
    return obj.get("status") or {}


def _generation(obj: dict) -> int:
    return int((obj.get("metadata") or {}).get("generation") or 0)


def _observed(obj: dict) -> int:
    return int(_status(obj).get("observedGeneration") or 0)


def _condition(obj: dict, type_: str) -> dict | None:
    return next((c for c in _status(obj).get("conditions") or [] if c.get("type") == type_), None)


def _name(obj: dict) -> str:
    return (obj.get("metadata") or {}).get("name", "")


def _unobserved(obj: dict, what: str) -> HealthResult | None:
    """Progressing while the controller has not yet seen the latest spec of a workload."""
    if _generation(obj) > _observed(obj):
        return HealthResult(
            Progressing,
            f"Waiting for rollout to finish: observed {what} generation less than desired generation",
        )
    return None


def _rollout(waiting: str, steps: list[tuple[bool, str]], done: str) -> HealthResult:
    """Progressing at the first step of a rollout still pending (`waiting` + its message),
    healthy (`done`) when none is."""
    for pending, message in steps:
        if pending:
            return HealthResult(Progressing, waiting + message)
    return HealthResult(Healthy, done)


# -- one function per kind -------------------------------------------------------------------


def deployment(obj: dict) -> HealthResult:
    spec, status = _spec(obj), _status(obj)
    if spec.get("paused"):
        return HealthResult(Suspended, "Deployment is paused")
    if unobserved := _unobserved(obj, "deployment"):
        return unobserved
    cond = _condition(obj, "Progressing")
    if cond and cond.get("reason") == "ProgressDeadlineExceeded":
        message = f'Deployment "{_name(obj)}" exceeded its progress deadline'
        if cond.get("message"):
            message += f": {cond['message']}"
        return HealthResult(Degraded, message)
    replicas = spec.get("replicas", 1)
    updated = status.get("updatedReplicas", 0)
    current = status.get("replicas", 0)
    available = status.get("availableReplicas", 0)
    return _rollout(
        "Waiting for rollout to finish: ",
        [
            (updated < replicas, f"{updated} out of {replicas} new replicas have been updated..."),
            (current > updated, f"{current - updated} old replicas are pending termination..."),
            (available < updated, f"{available} of {updated} updated replicas are available..."),
        ],
        f"{available} of {replicas} replicas are available",
    )


def statefulset(obj: dict) -> HealthResult:
    spec, status = _spec(obj), _status(obj)
    if _observed(obj) == 0 or _generation(obj) > _observed(obj):
        return HealthResult(Progressing, "Waiting for statefulset spec update to be observed...")
    replicas = spec.get("replicas", 1)
    ready = status.get("readyReplicas", 0)
    updated = status.get("updatedReplicas", 0)
    if ready < replicas:
        return HealthResult(Progressing, f"Waiting for {replicas - ready} pods to be ready...")
    strategy = spec.get("updateStrategy") or {}
    if (
        strategy.get("type", "RollingUpdate") == "RollingUpdate"
        and strategy.get("rollingUpdate") is not None
    ):
        partition = strategy["rollingUpdate"].get("partition")
        if partition is not None and updated < replicas - partition:
            return HealthResult(
                Progressing,
                f"Waiting for partitioned roll out to finish: {updated} out of {replicas - partition} new pods have been updated...",
            )
        return HealthResult(
            Healthy, f"partitioned roll out complete: {updated} new pods have been updated..."
        )
    if strategy.get("type") == "OnDelete":
        return HealthResult(Healthy, f"statefulset has {ready} ready pods")
    if status.get("updateRevision") != status.get("currentRevision"):
        return HealthResult(
            Progressing,
            f"waiting for statefulset rolling update to complete {updated} pods at revision {status.get('updateRevision')}...",
        )
    return HealthResult(
        Healthy,
        f"statefulset rolling update complete {status.get('currentReplicas', 0)} pods at revision {status.get('currentRevision')}...",
    )


def daemonset(obj: dict) -> HealthResult:
    spec, status = _spec(obj), _status(obj)
    if unobserved := _unobserved(obj, "daemon set"):
        return unobserved
    desired = status.get("desiredNumberScheduled", 0)
    updated = status.get("updatedNumberScheduled", 0)
    available = status.get("numberAvailable", 0)
    if (spec.get("updateStrategy") or {}).get("type") == "OnDelete":
        return HealthResult(
            Healthy, f"daemon set {updated} out of {desired} new pods have been updated"
        )
    return _rollout(
        f'Waiting for daemon set "{_name(obj)}" rollout to finish: ',
        [
            (updated < desired, f"{updated} out of {desired} new pods have been updated..."),
            (available < desired, f"{available} of {desired} updated pods are available..."),
        ],
        f"{available} of {desired} pods are available",
    )


def replicaset(obj: dict) -> HealthResult:
    spec, status = _spec(obj), _status(obj)
    if unobserved := _unobserved(obj, "replica set"):
        return unobserved
    cond = _condition(obj, "ReplicaFailure")
    if cond and cond.get("status") == "True":
        return HealthResult(Degraded, cond.get("message", ""))
    replicas = spec.get("replicas", 1)
    available = status.get("availableReplicas", 0)
    return _rollout(
        "Waiting for rollout to finish: ",
        [(available < replicas, f"{available} out of {replicas} new replicas are available...")],
        f"{available} of {replicas} replicas are available",
    )


def job(obj: dict) -> HealthResult:
    conditions = {
        c.get("type"): c for c in _status(obj).get("conditions") or [] if c.get("status") == "True"
    }
    if "Failed" in conditions:
        return HealthResult(Degraded, conditions["Failed"].get("message", "Job failed"))
    if "Complete" in conditions:
        return HealthResult(Healthy, conditions["Complete"].get("message", "Job completed"))
    if "Suspended" in conditions or _spec(obj).get("suspend"):
        message = conditions["Suspended"].get("message", "") if "Suspended" in conditions else ""
        return HealthResult(Suspended, message or "Job is suspended")
    active = _status(obj).get("active", 0)
    return HealthResult(
        Progressing, f"Job is running ({active} active)" if active else "Job is starting"
    )


def pod(obj: dict) -> HealthResult:
    spec, status = _spec(obj), _status(obj)
    restart = spec.get("restartPolicy", "Always")
    message = status.get("message", "")
    if restart == "Always":
        faults = []
        for cs in status.get("containerStatuses") or []:
            waiting = (cs.get("state") or {}).get("waiting")
            reason = (waiting or {}).get("reason", "")
            if waiting and (
                reason.startswith("Err") or reason.endswith("Error") or reason.endswith("BackOff")
            ):
                faults.append(
                    f"{cs.get('name')}: {reason}: {waiting.get('message', '')}".rstrip(": ")
                )
        if faults:
            return HealthResult(Degraded, ", ".join(faults))
    phase = status.get("phase")
    if phase == "Pending":
        return HealthResult(Progressing, message or "Pod is pending")
    if phase == "Succeeded":
        return HealthResult(Healthy, message or "Pod completed")
    if phase == "Failed":
        if message:
            return HealthResult(Degraded, message)
        for cs in (status.get("initContainerStatuses") or []) + (
            status.get("containerStatuses") or []
        ):
            terminated = (cs.get("state") or {}).get("terminated")
            if terminated:
                if terminated.get("message"):
                    return HealthResult(Degraded, terminated["message"])
                if terminated.get("reason") == "OOMKilled":
                    return HealthResult(Degraded, "OOMKilled")
                if terminated.get("exitCode", 0) != 0:
                    return HealthResult(
                        Degraded,
                        f'container "{cs.get("name")}" failed with exit code {terminated["exitCode"]}',
                    )
        return HealthResult(Degraded, "Pod failed")
    if phase == "Running":
        if restart != "Always":
            return HealthResult(Progressing, message or "Pod is running")
        ready = next((c for c in status.get("conditions") or [] if c.get("type") == "Ready"), None)
        if ready and ready.get("status") == "True":
            return HealthResult(Healthy, message or "Pod is running and ready")
        if any(
            (cs.get("lastState") or {}).get("terminated")
            for cs in status.get("containerStatuses") or []
        ):
            return HealthResult(
                Degraded, message or "A container restarted and the pod is not ready"
            )
        return HealthResult(Progressing, message or "Pod is running; waiting for it to be ready")
    return HealthResult(Unknown, message)


def service(obj: dict) -> HealthResult:
    if _spec(obj).get("type") != "LoadBalancer":
        return HealthResult(Healthy, "")
    if ((_status(obj).get("loadBalancer") or {}).get("ingress")) or []:
        return HealthResult(Healthy, "The load balancer is ready")
    return HealthResult(Progressing, "Waiting for the load balancer to get an address")


def ingress(obj: dict) -> HealthResult:
    if ((_status(obj).get("loadBalancer") or {}).get("ingress")) or []:
        return HealthResult(Healthy, "The ingress has an address")
    return HealthResult(Progressing, "Waiting for the ingress to get an address")


def persistentvolumeclaim(obj: dict) -> HealthResult:
    phase = _status(obj).get("phase")
    volume = _spec(obj).get("volumeName", "")
    if phase == "Bound":
        return HealthResult(Healthy, f"Bound to volume {volume}" if volume else "Bound")
    if phase == "Pending":
        return HealthResult(Progressing, "Waiting for the claim to be bound to a volume")
    if phase == "Lost":
        return HealthResult(Degraded, f"The claim lost its volume {volume}".rstrip())
    return HealthResult(Unknown, f"Unknown claim phase {phase!r}" if phase else "")


_HPA_DEGRADED = {
    ("AbleToScale", "FailedGetScale"),
    ("AbleToScale", "FailedUpdateScale"),
    ("ScalingActive", "FailedGetResourceMetric"),
    ("ScalingActive", "InvalidSelector"),
}
_HPA_HEALTHY = {
    ("AbleToScale", "SucceededRescale"),
    ("ScalingLimited", "DesiredWithinRange"),
    ("ScalingLimited", "TooFewReplicas"),
    ("ScalingLimited", "TooManyReplicas"),
}


def horizontalpodautoscaler(obj: dict) -> HealthResult:
    """Argo CD's rule: the first condition whose type and reason are known decides, whatever
    its status (a real cluster reports `ScalingLimited` False, reason DesiredWithinRange,
    for an HPA that is fine)."""
    for cond in _status(obj).get("conditions") or []:
        pair = (cond.get("type"), cond.get("reason"))
        if pair in _HPA_DEGRADED:
            return HealthResult(Degraded, cond.get("message", ""))
        if pair in _HPA_HEALTHY:
            return HealthResult(Healthy, cond.get("message", ""))
    return HealthResult(Progressing, "Waiting to Autoscale")


def customresourcedefinition(obj: dict) -> HealthResult:
    conditions = _status(obj).get("conditions") or []
    if not conditions:
        return HealthResult(Progressing, "Status conditions not found")
    by_type = {c.get("type"): c for c in conditions}
    terminating, names, established, structural = (
        by_type.get(t) or {}
        for t in ("Terminating", "NamesAccepted", "Established", "NonStructuralSchema")
    )
    if terminating.get("status") == "True":
        return HealthResult(
            Progressing, f"CRD is being terminated: {terminating.get('message', '')}"
        )
    if names.get("status") == "False":
        return HealthResult(
            Degraded, f"CRD names have not been accepted: {names.get('message', '')}"
        )
    if established.get("status") != "True":
        return HealthResult(Degraded, f"CRD is not established: {established.get('message', '')}")
    if structural.get("status") == "True":
        return HealthResult(Degraded, f"Schema violations found: {structural.get('message', '')}")
    return HealthResult(Healthy, "CRD is healthy")


def apiservice(obj: dict) -> HealthResult:
    for cond in _status(obj).get("conditions") or []:
        if cond.get("type") == "Available":
            text = f"{cond.get('reason', '')}: {cond.get('message', '')}".strip(": ")
            return HealthResult(Healthy if cond.get("status") == "True" else Progressing, text)
    return HealthResult(Progressing, "Waiting to be processed")


def poddisruptionbudget(obj: dict) -> HealthResult:
    """Argo CD's rule: a False condition is degraded, except InsufficientPods (a budget of
    one pod that allows no disruption is a valid choice)."""
    result = HealthResult(Progressing, "Waiting for status")
    for cond in _status(obj).get("conditions") or []:
        reason = cond.get("reason", "")
        if cond.get("status") == "False" and reason != "InsufficientPods":
            return HealthResult(Degraded, f"PodDisruptionBudget has {reason}")
        result = HealthResult(Healthy, f"PodDisruptionBudget has {reason}")
    return result


def cronjob(obj: dict) -> HealthResult:
    if _spec(obj).get("suspend") is True:
        return HealthResult(Suspended, "CronJob is Suspended")
    if "status" not in obj:
        return HealthResult(Progressing, "Waiting for CronJob")
    status = _status(obj)
    scheduled, succeeded = status.get("lastScheduleTime"), status.get("lastSuccessfulTime")
    if not scheduled:
        return HealthResult(Healthy, "CronJob has not been scheduled yet")
    if not succeeded:
        return HealthResult(
            Healthy, "The CronJob never completed successfully. It may not be healthy"
        )
    if status.get("active"):
        return HealthResult(
            Healthy, "The job is running. Its last execution may not have been successful"
        )
    if succeeded < scheduled:  # RFC 3339 times in UTC compare as text
        return HealthResult(Degraded, "CronJob has not completed its last execution successfully")
    return HealthResult(Healthy, "CronJob has completed its last execution successfully")


RULES: dict[tuple[str, str], Callable[[dict], HealthResult]] = {
    ("apps", "Deployment"): deployment,
    ("extensions", "Deployment"): deployment,
    ("apps", "StatefulSet"): statefulset,
    ("apps", "DaemonSet"): daemonset,
    ("extensions", "DaemonSet"): daemonset,
    ("apps", "ReplicaSet"): replicaset,
    ("extensions", "ReplicaSet"): replicaset,
    ("batch", "Job"): job,
    ("", "Pod"): pod,
    ("", "Service"): service,
    ("", "PersistentVolumeClaim"): persistentvolumeclaim,
    ("networking.k8s.io", "Ingress"): ingress,
    ("extensions", "Ingress"): ingress,
    ("autoscaling", "HorizontalPodAutoscaler"): horizontalpodautoscaler,
    ("apiextensions.k8s.io", "CustomResourceDefinition"): customresourcedefinition,
    ("apiregistration.k8s.io", "APIService"): apiservice,
    ("policy", "PodDisruptionBudget"): poddisruptionbudget,
    ("batch", "CronJob"): cronjob,
}


def assess(obj: dict) -> HealthResult:
    """The health of one live object."""
    group = (obj.get("apiVersion") or "").rpartition("/")[0]
    if (obj.get("metadata") or {}).get("deletionTimestamp"):
        return HealthResult(Progressing, "Pending deletion")
    rule = RULES.get((group, obj.get("kind", "")))
    if rule is None:
        return HealthResult(Healthy, "")
    return rule(obj)
