"""Workload defaults: apps/v1, batch/v1 and autoscaling/v2 (their `defaults.go`)."""

from __future__ import annotations

from .pods import _dict, _items, claim_spec, template


def _spec(obj: dict) -> dict | None:
    return _dict(obj, "spec")


def _rolling_update(spec: dict, key: str, **rolling_defaults) -> None:
    """A strategy that defaults to RollingUpdate, and that update's own defaults."""
    strategy = spec.setdefault(key, {})
    if isinstance(strategy, dict):
        strategy.setdefault("type", "RollingUpdate")
        if strategy["type"] == "RollingUpdate":
            rolling = strategy.setdefault("rollingUpdate", {})
            if isinstance(rolling, dict):
                for name, value in rolling_defaults.items():
                    rolling.setdefault(name, value)


def deployment(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    spec.setdefault("replicas", 1)
    _rolling_update(spec, "strategy", maxUnavailable="25%", maxSurge="25%")
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)
    template(spec)


def replica_set(obj: dict) -> None:
    spec = _spec(obj)
    if spec is not None:
        spec.setdefault("replicas", 1)
        template(spec)


def stateful_set(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    spec.setdefault("podManagementPolicy", "OrderedReady")
    strategy = spec.setdefault("updateStrategy", {})
    if isinstance(strategy, dict):
        if not strategy.get("type"):
            strategy["type"] = "RollingUpdate"
            strategy.setdefault("rollingUpdate", {})
        rolling = _dict(strategy, "rollingUpdate")
        if strategy["type"] == "RollingUpdate" and rolling is not None:
            rolling.setdefault("partition", 0)
    retention = spec.setdefault("persistentVolumeClaimRetentionPolicy", {})
    if isinstance(retention, dict):
        retention.setdefault("whenDeleted", "Retain")
        retention.setdefault("whenScaled", "Retain")
    spec.setdefault("replicas", 1)
    spec.setdefault("revisionHistoryLimit", 10)
    template(spec)
    for claim in _items(spec, "volumeClaimTemplates"):
        claim.setdefault("apiVersion", "v1")
        claim.setdefault("kind", "PersistentVolumeClaim")
        claim_spec(_dict(claim, "spec"))
        status = claim.setdefault("status", {})
        if isinstance(status, dict):
            status.setdefault("phase", "Pending")


def daemon_set(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    _rolling_update(spec, "updateStrategy", maxUnavailable=1, maxSurge=0)
    spec.setdefault("revisionHistoryLimit", 10)
    template(spec)


def job_spec(spec: dict | None) -> None:
    if spec is None:
        return
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
    spec.setdefault("parallelism", 1)
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = 2147483647 if spec.get("backoffLimitPerIndex") is not None else 6
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    if spec.get("podReplacementPolicy") is None:
        failure_policy = spec.get("podFailurePolicy")
        spec["podReplacementPolicy"] = "Failed" if failure_policy else "TerminatingOrFailed"
    for rule in _items(_dict(spec, "podFailurePolicy") or {}, "rules"):
        for condition in _items(rule, "onPodConditions"):
            condition.setdefault("status", "True")
    template(spec)


def job(obj: dict) -> None:
    spec = _spec(obj)
    job_spec(spec)
    labels = ((_dict(spec or {}, "template") or {}).get("metadata") or {}).get("labels")
    meta = obj.setdefault("metadata", {})
    if labels and not meta.get("labels"):
        meta["labels"] = dict(labels)


def cron_job(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    spec.setdefault("concurrencyPolicy", "Allow")
    spec.setdefault("suspend", False)
    spec.setdefault("successfulJobsHistoryLimit", 3)
    spec.setdefault("failedJobsHistoryLimit", 1)
    job_spec(_dict(_dict(spec, "jobTemplate") or {}, "spec"))


def _scaling_rules(rules: dict | None, window: int | None, policies: list[dict]) -> dict:
    rules = dict(rules or {})
    if window is not None:
        rules.setdefault("stabilizationWindowSeconds", window)
    rules.setdefault("selectPolicy", "Max")
    if not rules.get("policies"):
        rules["policies"] = policies
    return rules


def horizontal_pod_autoscaler(obj: dict) -> None:
    spec = _spec(obj)
    if spec is None:
        return
    spec.setdefault("minReplicas", 1)
    if not spec.get("metrics"):
        spec["metrics"] = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 80},
                },
            }
        ]
    behavior = _dict(spec, "behavior")
    if behavior is not None:  # only a behavior that is given is completed
        behavior["scaleUp"] = _scaling_rules(
            _dict(behavior, "scaleUp"),
            0,
            [
                {"type": "Pods", "value": 4, "periodSeconds": 15},
                {"type": "Percent", "value": 100, "periodSeconds": 15},
            ],
        )
        behavior["scaleDown"] = _scaling_rules(
            _dict(behavior, "scaleDown"),
            None,  # the controller's --horizontal-pod-autoscaler-downscale-stabilization
            [{"type": "Percent", "value": 100, "periodSeconds": 15}],
        )
