"""The namespace controller: a Namespace being deleted (Terminating) has its contents
deleted, then goes once nothing is left in it (objects held by finalizers keep it).

As kube-controller-manager's, it starts emptying a namespace `namespace_grace` seconds
after it first sees the deletion (namespaceDeletionGracePeriod, 5 s there): a client that
deletes a namespace and then what is in it (`kubectl delete -f` of a file whose first
object is the Namespace) finds those objects still there to delete.
"""

from __future__ import annotations

from ..store import Record


def namespace(ctl, rec: Record, now: float) -> None:
    meta = rec.obj["metadata"]
    if not meta.get("deletionTimestamp"):
        return
    if now - rec.sim.setdefault("deleting", now) < ctl.settings.namespace_grace:
        return
    name = meta["name"]
    store = ctl.store
    inside = [r for k, r in list(store.records.items()) if r.rt.namespaced and k[2] == name]
    for r in inside:
        if not r.obj["metadata"].get("deletionTimestamp") and store.records.get(r.key) is r:
            store.delete(r.rt, name, r.obj["metadata"]["name"])
    if not any(r.rt.namespaced and k[2] == name for k, r in store.records.items()):
        store.remove(rec)
