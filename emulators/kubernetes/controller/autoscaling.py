"""HorizontalPodAutoscalers and PodDisruptionBudgets, which follow other objects (so they
are looked at on every tick).

HPA: after `ready_after`, metrics are "available" (CPU at 10% of requests, below any
target), so the desired count is the target's replicas kept within min/max; the HPA
rescales a target outside that range (an Update by `kube-controller-manager`) and reports
AbleToScale, ScalingActive and ScalingLimited as a real one does, so Argo CD's rules read
it healthy. A missing target is AbleToScale=False FailedGetScale (degraded).

PDB: counts the pods its selector matches in its namespace (expected, healthy = Ready) and
how many may be disrupted, with the DisruptionAllowed condition.
"""

from __future__ import annotations

import copy
import math

from .. import ssa
from ..selectors import label_matcher, selector_string
from ..store import Record, now_iso
from .common import set_condition


def _scale_target(ctl, rec: Record) -> Record | None:
    ref = (rec.obj.get("spec") or {}).get("scaleTargetRef") or {}
    rt = ctl.store.registry.by_kind(ref.get("apiVersion", ""), ref.get("kind", ""))
    if rt is None or rt.subresource("scale") is None:
        return None
    return ctl.store.find(rt, rec.obj["metadata"]["namespace"], ref.get("name", ""))


def _rescale(ctl, target: Record, replicas: int) -> None:
    new = copy.deepcopy(target.obj)
    new["spec"]["replicas"] = replicas
    managers = {k: copy.copy(e) for k, e in target.managers.items()}
    ssa.record_update(
        target.obj, new, managers, "kube-controller-manager", target.rt.api_version, now_iso()
    )
    ctl.store.system_write(target, new, managers)


def horizontal_pod_autoscaler(ctl, rec: Record, now: float) -> None:
    spec = rec.obj.get("spec") or {}
    ref = spec.get("scaleTargetRef") or {}
    since = rec.sim.setdefault("started", now)
    status = copy.deepcopy(rec.obj.get("status") or {})
    status["observedGeneration"] = rec.obj["metadata"]["generation"]
    target = _scale_target(ctl, rec)
    if target is None:
        kind = (ref.get("kind") or "").lower() + "s"
        set_condition(
            status,
            "AbleToScale",
            "False",
            "FailedGetScale",
            "the HPA controller was unable to get the target's current scale: "
            f'{kind} "{ref.get("name", "")}" not found',
        )
        status.setdefault("currentReplicas", 0)
        status.setdefault("desiredReplicas", 0)
        ctl.write_status(rec, status)
        return
    if now - since < ctl.settings.ready_after:
        ctl.write_status(rec, status)  # "Waiting to Autoscale"
        return
    current = (target.obj.get("spec") or {}).get("replicas", 1)
    low, high = spec.get("minReplicas", 1), spec.get("maxReplicas", current)
    desired = min(max(current, low), high) if current else 0
    if desired != current:
        _rescale(ctl, target, desired)
        status["lastScaleTime"] = now_iso()
        set_condition(
            status,
            "AbleToScale",
            "True",
            "SucceededRescale",
            f"the HPA controller was able to update the target scale to {desired}",
        )
    else:
        set_condition(
            status,
            "AbleToScale",
            "True",
            "ReadyForNewScale",
            "recommended size matches current size",
        )
    set_condition(
        status,
        "ScalingActive",
        "True",
        "ValidMetricFound",
        "the HPA was able to successfully calculate a replica count from cpu resource "
        "utilization (percentage of request)",
    )
    if current < low:
        limited = (
            "True",
            "TooFewReplicas",
            "the desired replica count is less than the minimum replica count",
        )
    elif current > high:
        limited = (
            "True",
            "TooManyReplicas",
            "the desired replica count is more than the maximum replica count",
        )
    else:
        limited = (
            "False",
            "DesiredWithinRange",
            "the desired count is within the acceptable range",
        )
    set_condition(status, "ScalingLimited", *limited)
    status["currentReplicas"], status["desiredReplicas"] = current, desired
    status["currentMetrics"] = [
        {
            "type": "Resource",
            "resource": {
                "name": m["resource"]["name"],
                "current": {"averageUtilization": 10, "averageValue": "10m"},
            },
        }
        for m in spec.get("metrics") or []
        if m.get("type") == "Resource" and m.get("resource")
    ]
    ctl.write_status(rec, status)


def _desired_healthy(spec: dict, expected: int) -> int:
    def amount(value) -> int:
        if isinstance(value, str) and value.endswith("%"):
            return math.ceil(expected * int(value[:-1]) / 100)
        return int(value)

    if spec.get("minAvailable") is not None:
        return amount(spec["minAvailable"])
    if spec.get("maxUnavailable") is not None:
        return max(0, expected - amount(spec["maxUnavailable"]))
    return 0


def pod_disruption_budget(ctl, rec: Record, now: float) -> None:
    spec = rec.obj.get("spec") or {}
    matches = label_matcher(selector_string(spec.get("selector")))
    pods = [
        p
        for p in ctl.store.select(ctl.rt("", "v1", "pods"), rec.obj["metadata"]["namespace"])
        if spec.get("selector") is not None and matches(p.obj)
    ]
    healthy = sum(
        1
        for p in pods
        if any(
            c.get("type") == "Ready" and c.get("status") == "True"
            for c in (p.obj.get("status") or {}).get("conditions") or []
        )
    )
    expected = len(pods)
    desired = _desired_healthy(spec, expected)
    allowed = max(0, healthy - desired)
    status = copy.deepcopy(rec.obj.get("status") or {})
    status.update(
        observedGeneration=rec.obj["metadata"]["generation"],
        currentHealthy=healthy,
        desiredHealthy=desired,
        disruptionsAllowed=allowed,
        expectedPods=expected,
    )
    if allowed:
        set_condition(status, "DisruptionAllowed", "True", "SufficientPods", "")
    else:
        set_condition(status, "DisruptionAllowed", "False", "InsufficientPods", "")
    ctl.write_status(rec, status)
