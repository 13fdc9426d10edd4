"""Watches: the store's recent changes, and the event stream a `?watch=1` request gets.

Every write records an `Event` (ADDED, MODIFIED, DELETED) under the store's lock, in
resourceVersion order, and wakes the watchers. A watch follows the API server's
resourceVersion rules:

- no `resourceVersion`, or `0`: synthetic ADDED events for what exists now, then changes;
- `resourceVersion=N`: every change after N; when N is older than the log keeps (the
  last `CAPACITY` changes), one ERROR event with a 410 Expired status, as etcd compaction
  makes a real server answer;
- `sendInitialEvents=true`: the current objects, then a BOOKMARK annotated
  `k8s.io/initial-events-end` (client-go's watch-list);
- `timeoutSeconds`: the stream ends after that long (default 30 minutes), as does every
  stream when the emulator stops or becomes unreachable.

Label and field selectors filter events on the object as it is after the change.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .errors import ApiError, bad_request
from .selectors import field_matcher, label_matcher

CAPACITY = 20000
DEFAULT_TIMEOUT = 1800.0


@dataclass(frozen=True)
class Event:
    resource_version: int
    type: str
    storage_key: tuple[str, str]
    namespace: str
    obj: dict  # the object as stored then; never changed afterwards
    managers: dict


class EventLog:
    def __init__(self, resource_version: int, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self.reset(resource_version)

    def reset(self, resource_version: int) -> None:
        self.events: deque[Event] = deque()
        self.horizon = resource_version  # changes after this one are all in the log

    def record(self, event: Event) -> None:
        self.events.append(event)
        while len(self.events) > self.capacity:
            self.horizon = self.events.popleft().resource_version

    def after(self, resource_version: int) -> list[Event] | None:
        """Changes after `resource_version`, oldest first; None when some are no longer kept."""
        if resource_version < self.horizon:
            return None
        out = []
        for event in reversed(self.events):
            if event.resource_version <= resource_version:
                break
            out.append(event)
        out.reverse()
        return out


def expired(asked: int, oldest: int) -> dict:
    return {
        "type": "ERROR",
        "object": ApiError(
            410, "Expired", f"too old resource version: {asked} ({oldest})"
        ).status(),
    }


def stream(
    store, rt, namespace: str | None, query: dict, stopped: Callable[[], bool]
) -> Iterator[dict]:
    """The watch events for `rt` in `namespace` (None: all), as dicts, until the stream ends."""
    try:
        labels = label_matcher(query.get("labelSelector"))
        fields = field_matcher(query.get("fieldSelector"))
        timeout = float(query.get("timeoutSeconds") or DEFAULT_TIMEOUT)
    except ValueError as e:
        raise bad_request(str(e)) from None
    asked = query.get("resourceVersion") or ""
    initial = query.get("sendInitialEvents") in ("true", "1")
    if asked not in ("", "0") and not asked.isdigit():
        raise bad_request(f'invalid resource version "{asked}"')
    deadline = time.monotonic() + timeout

    def matches(event: Event) -> bool:
        return (
            event.storage_key == rt.storage_key
            and (namespace is None or event.namespace == namespace)
            and labels(event.obj)
            and fields(event.obj)
        )

    def render(event: Event) -> dict:
        return {"type": event.type, "object": store.render_obj(event.obj, event.managers, rt)}

    with store.lock:
        if asked in ("", "0") or initial:
            cursor = store.resource_version
            first = [
                {"type": "ADDED", "object": store.render(rec, rt)}
                for rec in store.select(rt, namespace)
                if labels(rec.obj) and fields(rec.obj)
            ]
        else:
            cursor = int(asked)
            if store.events.after(cursor) is None:
                yield expired(cursor, store.events.horizon)
                return
            first = []
    yield from first
    if initial:
        yield {
            "type": "BOOKMARK",
            "object": {
                "kind": rt.kind,
                "apiVersion": rt.api_version,
                "metadata": {
                    "resourceVersion": str(cursor),
                    "annotations": {"k8s.io/initial-events-end": "true"},
                },
            },
        }
    while not stopped():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        with store.changed:
            events = store.events.after(cursor)
            if events is None:
                out = [expired(cursor, store.events.horizon)]
            elif not events:
                store.changed.wait(min(remaining, 0.25))
                continue
            else:
                cursor = events[-1].resource_version
                out = [render(e) for e in events if matches(e)]
        yield from out
        if events is None:
            return
