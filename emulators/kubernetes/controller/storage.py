"""A PersistentVolumeClaim is Pending, then Bound after `ready_after` to a volume
`pvc-<uid>` of the requested size. It stays Pending while its StorageClass is missing (or
it names none and the cluster has no default), as with a real dynamic provisioner."""

from __future__ import annotations

import copy

from ..store import Record


def claim(ctl, rec: Record, now: float) -> None:
    obj = rec.obj
    spec = obj.get("spec") or {}
    since = rec.sim.setdefault("since", now)
    if (obj.get("status") or {}).get("phase") == "Bound":
        return
    class_name = spec.get("storageClassName")
    sc_type = ctl.rt("storage.k8s.io", "v1", "storageclasses")
    missing_class = not class_name or ctl.store.find(sc_type, None, class_name) is None
    if missing_class:
        rec.sim["since"] = now  # never settles: the class may be created later
    if missing_class or now - since < ctl.settings.ready_after:
        ctl.write_status(rec, {"phase": "Pending"})
        return
    new = copy.deepcopy(obj)
    new["spec"]["volumeName"] = f"pvc-{obj['metadata']['uid']}"
    new["status"] = {
        "phase": "Bound",
        "accessModes": spec.get("accessModes") or ["ReadWriteOnce"],
        "capacity": {
            "storage": ((spec.get("resources") or {}).get("requests") or {}).get("storage", "1Gi")
        },
    }
    ctl.store.system_write(rec, new)
