"""Read an inventory back from the cluster: health per object (`clusters.health`) and drift.

`observe(client, items, manager=…)` takes `(ref, applied configuration)` pairs and returns
one `Observation` per object: missing objects are `degraded` (`health.missing`), present
ones are `assess()`ed, and what a server-side apply of the applied configuration would
change is its drift (`clusters.drift`; an empty configuration: no drift is read, as for
objects Akua found and left alone). A Job that is gone after it finished, removed by the
cluster because of its `ttlSecondsAfterFinished`, is healthy, not missing.
`Unreachable` propagates: the caller makes everything `unknown`.

`rollup(observations)` is the installation's health: the worst object's, with a message
naming the objects that made it so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clusters import health
from clusters.client import KubeClient, ObjectRef
from clusters.drift import server_drift


@dataclass
class Observation:
    ref: ObjectRef
    status: health.HealthStatus
    message: str = ""
    drift: list[dict] = field(default_factory=list)
    live: dict | None = None


def observe(
    client: KubeClient, items: list[tuple[ObjectRef, dict]], *, manager: str = "akua"
) -> list[Observation]:
    out = []
    for ref, applied in items:
        live = client.get(ref)
        if live is None:
            result = finished_and_removed(ref, applied) or health.missing(ref.subject)
            out.append(Observation(ref, result.status, result.message))
            continue
        result = health.assess(live)
        changed = server_drift(client, applied, live, manager) if applied else []
        out.append(Observation(ref, result.status, result.message, changed, live))
    return out


def finished_and_removed(ref: ObjectRef, applied: dict) -> health.HealthResult | None:
    """A Job with `ttlSecondsAfterFinished` that is gone: the cluster removed it after it
    finished, as it was told to."""
    spec = (applied or {}).get("spec") or {}
    if ref.kind == "Job" and spec.get("ttlSecondsAfterFinished") is not None:
        return health.HealthResult(
            health.HealthStatus.HEALTHY,
            "Finished and removed by the cluster (ttlSecondsAfterFinished)",
        )
    return None


def rollup(observations: list[Observation]) -> tuple[health.HealthStatus, str]:
    if not observations:
        return health.HealthStatus.HEALTHY, "No objects"
    status = health.worst(o.status for o in observations)
    if status == health.HealthStatus.HEALTHY:
        n = len(observations)
        return status, f"All {n} object{'s' if n != 1 else ''} healthy"
    bad = [o for o in observations if o.status == status]
    text = "; ".join(f"{o.ref.subject}: {o.message or status.value}" for o in bad[:3])
    if len(bad) > 3:
        text += f"; and {len(bad) - 3} more"
    return status, text
