"""A Service of type LoadBalancer and an Ingress get `status.loadBalancer.ingress` after
`ready_after` (an address in 198.51.100.0/24, documentation space)."""

from __future__ import annotations

from ..store import Record


def _load_balanced(ctl, rec: Record, now: float, wanted: bool) -> None:
    since = rec.sim.setdefault("since", now)
    ip = f"198.51.100.{int(rec.obj['metadata']['uid'][:2], 16) % 250 + 1}"
    if wanted and now - since >= ctl.settings.ready_after:
        rec.sim["addressed"] = True
    elif not wanted:
        rec.sim.pop("addressed", None)
    if rec.sim.get("addressed"):  # an address once given stays
        entry = {"ip": ip, "ipMode": "VIP"} if rec.rt.kind == "Service" else {"ip": ip}
        status = {"loadBalancer": {"ingress": [entry]}}
    else:
        status = {"loadBalancer": {}}
    ctl.write_status(rec, status)


def service(ctl, rec: Record, now: float) -> None:
    _load_balanced(ctl, rec, now, (rec.obj.get("spec") or {}).get("type") == "LoadBalancer")


def ingress(ctl, rec: Record, now: float) -> None:
    _load_balanced(ctl, rec, now, True)
