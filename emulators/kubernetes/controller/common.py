"""What every simulated controller uses: names from hashes, image tags that say "fail",
conditions, counts, owner references."""

from __future__ import annotations

import hashlib
import json

from ..store import Record, now_iso

_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def short_hash(value, n: int = 10) -> str:
    """A stable name suffix, in the alphabet Kubernetes uses for generated names."""
    digest = hashlib.sha256(json.dumps(value, sort_keys=True).encode()).digest()
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:n])


def image_failure(template: dict | None) -> str | None:
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


def set_counts(status: dict, **counts: int) -> None:
    """Kubernetes omits zero counts (omitempty)."""
    for key, value in counts.items():
        if value:
            status[key] = value
        else:
            status.pop(key, None)


def owner_reference(rec: Record) -> dict:
    return {
        "apiVersion": rec.rt.api_version,
        "kind": rec.rt.kind,
        "name": rec.obj["metadata"]["name"],
        "uid": rec.obj["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }
