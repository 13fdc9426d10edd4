"""Drift as the API server sees it: what a server-side apply of the applied configuration
would change in the live object.

`server_drift(client, applied, live, manager)` first compares the fields Akua applied with
live (`clusters.diff.differences`); only when something differs does it ask the server: a
dry-run apply (`dryRun=All`) with the owner's field manager, force off (and, when another
manager holds a field — a 409 conflict, which is drift too — forced, to see the result).
A field is drift only when the dry-run result differs from live there, so what the server
stores in another form (`1000m` is `1`, `500Mi` as written or `524288000` as `500Mi`) and
fields the server fills in are never drift. When the dry run cannot be made (the kind is
not served any more, the object is being deleted), the plain comparison stands.
"""

from __future__ import annotations

from clusters.client import ApiError, KubeClient
from clusters.diff import differences, owner, path_text, secret_safe, value_at
from clusters.ownership import LEGACY_MANAGER


def server_drift(client: KubeClient, applied: dict, live: dict, manager: str) -> list[dict]:
    """[{path, applied, live, manager}] for every applied field the server would change."""
    safe_applied, safe_live = secret_safe(applied), secret_safe(live)
    found = differences(safe_applied, safe_live)
    if not found:
        return []
    result = _dry_run(client, applied, manager)
    if result is not None:
        safe_result = secret_safe(result)
        found = [(path, a, b) for path, a, b in found if value_at(safe_result, path) != b]
    return [
        {
            "path": path_text(path),
            "applied": a,
            "live": b,
            "manager": owner(live, path, exclude=(manager, LEGACY_MANAGER)),
        }
        for path, a, b in found
    ]


def _dry_run(client: KubeClient, applied: dict, manager: str) -> dict | None:
    for force in (False, True):
        try:
            return client.apply(applied, manager=manager, force=force, dry_run=True)
        except ApiError as e:
            if e.code != 409:
                return None
    return None
