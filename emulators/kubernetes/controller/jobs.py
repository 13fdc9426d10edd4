"""Jobs: `parallelism` pods run for `ready_after`, then the Job is Complete (succeeded =
completions) or, with an image tag ending in `-fail`, Failed (BackoffLimitExceeded);
`spec.suspend` -> Suspended. A finished Job with `ttlSecondsAfterFinished` is deleted,
with its pods, that many seconds after it finished, as the TTL-after-finished controller
of a real cluster does."""

from __future__ import annotations

import copy

from ..store import Record, now_iso
from .common import image_failure, set_condition, set_counts
from .pods import ensure_pods

_DONE = "Reached expected number of succeeded pods"


def _finished(status: dict) -> bool:
    return any(
        c.get("type") in ("Complete", "Failed") and c.get("status") == "True"
        for c in status.get("conditions") or []
    )


def _expire(ctl, rec: Record, now: float) -> None:
    ttl = (rec.obj.get("spec") or {}).get("ttlSecondsAfterFinished")
    if ttl is None:
        return
    done = rec.sim.setdefault("finished", now)
    if now - done >= ttl:
        meta = rec.obj["metadata"]
        ctl.store.delete(rec.rt, meta["namespace"], meta["name"])
    else:
        rec.sim["wake"] = done + ttl


def job(ctl, rec: Record, now: float) -> None:
    obj = rec.obj
    spec = obj.get("spec") or {}
    sim = rec.sim
    status = copy.deepcopy(obj.get("status") or {})
    if _finished(status):
        _expire(ctl, rec, now)
        return
    parallelism = spec.get("parallelism", 1)
    if spec.get("suspend"):
        set_condition(status, "Suspended", "True", "JobSuspended", "Job suspended")
        status.pop("active", None)
        sim.pop("since", None)
        ctl.write_status(rec, status)
        ensure_pods(ctl, rec, 0, "creating")
        return
    sim.setdefault("since", now)
    status.setdefault("startTime", now_iso())
    status.setdefault("uncountedTerminatedPods", {})
    status["ready"], status["terminating"] = 0, 0
    if any(c["type"] == "Suspended" for c in status.get("conditions", [])):
        set_condition(status, "Suspended", "False", "JobResumed", "Job resumed")
    if now - sim["since"] < ctl.settings.ready_after:
        set_counts(status, active=parallelism)
        state = "creating"
    elif image_failure(spec.get("template")):
        status.pop("active", None)
        status["failed"] = spec.get("backoffLimit", 6) + 1
        message = "Job has reached the specified backoff limit"
        set_condition(status, "FailureTarget", "True", "BackoffLimitExceeded", message)
        set_condition(status, "Failed", "True", "BackoffLimitExceeded", message)
        state = "failed"
    else:
        status.pop("active", None)
        status["succeeded"] = spec.get("completions") or parallelism
        status["completionTime"] = now_iso()
        set_condition(status, "SuccessCriteriaMet", "True", "CompletionsReached", _DONE)
        set_condition(status, "Complete", "True", "CompletionsReached", _DONE)
        state = "succeeded"
    ensure_pods(ctl, rec, parallelism, state)
    ctl.write_status(rec, status)
    if state != "creating":
        sim["finished"] = now
        _expire(ctl, rec, now)
