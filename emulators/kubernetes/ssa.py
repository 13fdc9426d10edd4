"""Server-side apply and field ownership, simplified.

A manager owns a set of leaf field paths. A path is a tuple of elements: a field name (`str`)
or an associative-list item `(key_field, key_value)`, e.g.
`("spec", "template", "spec", "containers", ("name", "web"), "image")`.

The simplifications, compared with the real structured-merge-diff:

- A list is associative when every item is a map carrying the same key field (the first of
  `name`, `mountPath`, `containerPort`, `port`, `type` they all have) with unique values;
  otherwise it is atomic (a leaf, replaced whole). The real API knows per field.
- Leaves are scalars, atomic lists and empty maps. `apiVersion`, `kind`, `status` and the
  system parts of `metadata` are never owned; `metadata.managedFields` in a body is ignored.
- Defaulted fields (set by the server) belong to nobody, as in the real API.

Apply (`apply()`): a manager's applied configuration is merged into the live object. A field
another manager owns whose value would change is a conflict (409 unless forced; forcing
takes it over). Fields the manager applied last time and no longer applies are removed when
nobody else owns them. The manager then owns exactly what it applied.

Update (`record_update()`): POST, PUT and merge patches make the writer own every leaf they
changed, taking it from other managers without conflict, as the real API does.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

Path = tuple
KEY_FIELDS = ("name", "mountPath", "containerPort", "port", "type")
OWNABLE_METADATA = ("labels", "annotations", "finalizers", "ownerReferences")


@dataclass
class ManagerEntry:
    manager: str
    operation: str  # "Apply" or "Update"
    api_version: str
    time: str
    paths: set

    def managed_field(self) -> dict:
        return {
            "manager": self.manager,
            "operation": self.operation,
            "apiVersion": self.api_version,
            "time": self.time,
            "fieldsType": "FieldsV1",
            "fieldsV1": fields_v1(self.paths),
        }


class ApplyConflict(Exception):
    def __init__(self, conflicts: list[tuple[str, Path]]):
        self.conflicts = conflicts
        super().__init__(conflicts)


def list_key(value: list) -> str | None:
    if not value or not all(isinstance(item, dict) for item in value):
        return None
    for key in KEY_FIELDS:
        if all(key in item for item in value):
            keys = [json.dumps(item[key], sort_keys=True) for item in value]
            if len(set(keys)) == len(keys):
                return key
    return None


def ownable(obj: dict) -> dict:
    """The part of an object managers can own."""
    out = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata", "status")}
    meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k in OWNABLE_METADATA}
    if meta:
        out["metadata"] = meta
    return out


def leaves(value, prefix: Path = ()) -> dict[Path, object]:
    out: dict[Path, object] = {}
    if isinstance(value, dict) and value:
        for k, v in value.items():
            out.update(leaves(v, (*prefix, k)))
    elif isinstance(value, list) and (key := list_key(value)):
        for item in value:
            out.update(leaves(item, (*prefix, (key, item[key]))))
    else:
        out[prefix] = value
    return out


def get_at(obj, path: Path):
    """(found, value) at `path`."""
    node = obj
    for el in path:
        if isinstance(el, tuple):
            if not isinstance(node, list):
                return False, None
            match = [item for item in node if isinstance(item, dict) and item.get(el[0]) == el[1]]
            if not match:
                return False, None
            node = match[0]
        else:
            if not isinstance(node, dict) or el not in node:
                return False, None
            node = node[el]
    return True, node


def delete_at(obj: dict, path: Path) -> None:
    """Remove the field at `path`, then any map or list item left empty above it."""
    chain = [obj]
    node = obj
    for el in path[:-1]:
        found, node = get_at(node, (el,))
        if not found:
            return
        chain.append(node)
    _remove(chain[-1], path[-1])
    for depth in range(len(path) - 1, 1, -1):  # never drop a top-level field such as `spec`
        container = chain[depth]
        if container in ({}, []):
            _remove(chain[depth - 1], path[depth - 1])
        else:
            break


def _remove(container, el) -> None:
    if isinstance(el, tuple) and isinstance(container, list):
        container[:] = [i for i in container if not (isinstance(i, dict) and i.get(el[0]) == el[1])]
    elif isinstance(container, dict):
        container.pop(el, None)


def merge(live, applied):
    """Merge an applied configuration into a live value: maps and associative lists merge."""
    if isinstance(applied, dict) and isinstance(live, dict):
        out = dict(live)
        for k, v in applied.items():
            out[k] = merge(live[k], v) if k in live else copy.deepcopy(v)
        return out
    if isinstance(applied, list) and isinstance(live, list):
        key = list_key(applied)
        if key and (not live or list_key(live) == key):
            by_key = {json.dumps(i[key], sort_keys=True): i for i in live}
            applied_keys = {json.dumps(i[key], sort_keys=True) for i in applied}
            out = []
            for item in applied:
                k = json.dumps(item[key], sort_keys=True)
                out.append(merge(by_key[k], item) if k in by_key else copy.deepcopy(item))
            out += [i for i in live if json.dumps(i[key], sort_keys=True) not in applied_keys]
            return out
    return copy.deepcopy(applied)


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch (also used for strategic merge patches)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def _related(a: Path, b: Path) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _owns(paths: set, path: Path) -> bool:
    if path in paths:
        return True
    return any(_related(q, path) for q in paths)


def apply(
    live: dict | None,
    applied: dict,
    managers: dict[tuple[str, str], ManagerEntry],
    manager: str,
    force: bool,
    api_version: str,
    now: str,
) -> dict:
    """Merge `applied` into `live` (or create it), updating `managers` in place; returns the new object.

    Raises ApplyConflict listing (other manager, path) when `force` is false.
    """
    applied = copy.deepcopy(applied)
    applied_paths = leaves(ownable(applied))
    me = (manager, "Apply")
    if live is None:
        managers.clear()
        managers[me] = ManagerEntry(manager, "Apply", api_version, now, set(applied_paths))
        return {k: v for k, v in applied.items() if k != "status"}

    conflicts = []
    for path, value in applied_paths.items():
        found, current = get_at(live, path)
        if found and current == value:
            continue  # the same value: shared ownership, no conflict
        for key, entry in managers.items():
            if key != me and _owns(entry.paths, path):
                conflicts.append((key, path))
    if conflicts and not force:
        return_list = sorted({(key[0], path) for key, path in conflicts}, key=repr)
        raise ApplyConflict(return_list)
    for key, path in conflicts:
        managers[key].paths = {q for q in managers[key].paths if not _related(q, path)}

    result = copy.deepcopy(live)
    previous = managers[me].paths if me in managers else set()
    for path in sorted(previous - set(applied_paths), key=_deletion_order):
        if any(_related(path, p) for p in applied_paths):
            continue
        if any(key != me and _owns(entry.paths, path) for key, entry in managers.items()):
            continue
        delete_at(result, path)

    result = merge(result, {k: v for k, v in applied.items() if k != "status"})
    old = managers.get(me)
    if old is None or old.paths != set(applied_paths):
        managers[me] = ManagerEntry(manager, "Apply", api_version, now, set(applied_paths))
    _drop_empty(managers)
    return result


def record_update(
    before: dict | None,
    after: dict,
    managers: dict[tuple[str, str], ManagerEntry],
    manager: str,
    api_version: str,
    now: str,
) -> None:
    """Give `manager` (operation Update) the leaves it changed between `before` and `after`."""
    old = leaves(ownable(before)) if before else {}
    new = leaves(ownable(after))
    changed = {p for p, v in new.items() if p not in old or old[p] != v}
    removed = set(old) - set(new)
    if not changed and not removed:
        return
    me = (manager, "Update")
    for key, entry in managers.items():
        if key != me:
            entry.paths = {
                q for q in entry.paths if not any(_related(q, p) for p in changed | removed)
            }
    entry = managers.get(me) or ManagerEntry(manager, "Update", api_version, now, set())
    entry.paths = (entry.paths - removed) | changed
    entry.time = now
    managers[me] = entry
    _drop_empty(managers)


def _deletion_order(path: Path):
    """Deepest first, and an item's key field after its other fields (it finds the item)."""
    is_key = len(path) >= 2 and isinstance(path[-2], tuple) and path[-2][0] == path[-1]
    return (is_key, -len(path))


def _drop_empty(managers: dict) -> None:
    for key in [k for k, e in managers.items() if not e.paths]:
        del managers[key]


def format_path(path: Path) -> str:
    """`.spec.template.spec.containers[name="web"].image`, as conflict messages print it."""
    out = ""
    for el in path:
        if isinstance(el, tuple):
            out += f"[{el[0]}={json.dumps(el[1])}]"
        else:
            out += f".{el}"
    return out


def fields_v1(paths: set) -> dict:
    tree: dict = {}
    for path in sorted(paths, key=repr):
        node = tree
        for el in path:
            if isinstance(el, tuple):
                node = node.setdefault("k:" + json.dumps({el[0]: el[1]}, separators=(",", ":")), {})
                node.setdefault(".", {})
            else:
                node = node.setdefault(f"f:{el}", {})
    return tree
