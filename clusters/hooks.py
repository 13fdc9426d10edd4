"""Helm hooks, run as Helm runs them around an install or upgrade.

A rendered object annotated `helm.sh/hook` is a hook, not part of the release's objects:

- `split(objects)` separates them; test hooks (`test`, `test-success`) and the delete and
  rollback hooks (Akua never runs `helm uninstall`'s or `helm rollback`'s steps) are never
  applied;
- `for_phase(hooks, "pre-install")` are the hooks of one phase in Helm's order:
  `helm.sh/hook-weight` ascending (a number; 0 when absent), then name, then kind in Helm's
  install order (a ServiceAccount, Secret or ConfigMap before the Job of the same name that
  uses it; kinds Helm does not know last, by kind), as Helm sorts hooks by kind first;
- `run(client, hooks, options)` runs them one after the other. For each: with
  `before-hook-creation` (Helm's default when no policy is given) an earlier copy is
  deleted and waited for; the hook is created (server-side apply, the owner's manager and
  tracking id); a Job is waited for until it completes (a Pod until it succeeds), any other
  kind is ready once created; on failure `hook-failed` deletes it. Once every hook of the
  phase succeeded, `hook-succeeded` deletes them, the last one first, as Helm does: a hook
  Job's ServiceAccount, RBAC and ConfigMap hooks are there while it runs. The first failure stops the phase: its message is the Job's (or
  Pod's) own. A Job the cluster removed after it finished (`ttlSecondsAfterFinished`) has
  finished; Helm reads it the same way.

Waiting is bounded (`HookOptions.timeout` for a whole phase, as Helm's `--timeout`, 5
minutes by default) and reports progress
through `options.progress(text)`, so the caller can show it while a worker waits.
Hook objects are not in the installation's inventory: they are not health-checked, and a
completed hook Job that is gone is not "missing".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from clusters import ownership
from clusters.apply import (
    CREATED,
    DELETED,
    FAILED,
    ApplyOptions,
    Entry,
    install_rank,
    prepare,
    unserved_words,
    wait_gone,
)
from clusters.client import ApiError, KubeClient, ObjectRef

HOOK = "helm.sh/hook"
WEIGHT = "helm.sh/hook-weight"
DELETE_POLICY = "helm.sh/hook-delete-policy"
BEFORE_CREATION, SUCCEEDED, HOOK_FAILED = "before-hook-creation", "hook-succeeded", "hook-failed"
PHASES = ("pre-install", "post-install", "pre-upgrade", "post-upgrade")


@dataclass
class Hook:
    obj: dict
    events: tuple[str, ...]
    weight: int
    policies: tuple[str, ...]

    @property
    def name(self) -> str:
        return str((self.obj.get("metadata") or {}).get("name") or "")

    @property
    def kind_order(self) -> tuple[int, str]:
        """Helm's install order of the kind; kinds it does not know after, by kind."""
        return install_rank(self.obj)


def _parse(obj: dict) -> Hook | None:
    notes = ownership.annotations(obj)
    if HOOK not in notes:
        return None
    events = tuple(e.strip() for e in str(notes[HOOK]).split(",") if e.strip())
    try:
        weight = int(str(notes.get(WEIGHT, "0")).strip() or 0)
    except ValueError:
        weight = 0
    policies = tuple(p.strip() for p in str(notes.get(DELETE_POLICY, "")).split(",") if p.strip())
    return Hook(obj, events, weight, policies or (BEFORE_CREATION,))


def split(objects: list[dict]) -> tuple[list[dict], list[Hook]]:
    """(the release's objects, the hooks Akua runs); test, delete and rollback hooks dropped."""
    regular, hooks = [], []
    for obj in objects:
        hook = _parse(obj)
        if hook is None:
            regular.append(obj)
        elif any(e in PHASES for e in hook.events):
            hooks.append(hook)
    return regular, hooks


def for_phase(hooks: list[Hook], phase: str) -> list[Hook]:
    """Helm's order: by weight, then name, then kind (a stable sort keeps the render's order)."""
    return sorted(
        (h for h in hooks if phase in h.events), key=lambda h: (h.weight, h.name, h.kind_order)
    )


@dataclass
class HookOptions:
    timeout: float = 300.0  # Helm's --timeout default
    poll_interval: float = 0.2
    progress: Callable[[str], None] = field(default=lambda text: None)


def run(
    client: KubeClient,
    hooks: list[Hook],
    phase: str,
    options: ApplyOptions,
    hook_options: HookOptions | None = None,
) -> list[Entry]:
    """Run `hooks` (one phase, in order); stops at the first failure (its entry `failed`)."""
    hook_options = hook_options or HookOptions()
    deadline = time.monotonic() + hook_options.timeout  # for the whole phase, as Helm's --timeout
    entries: list[Entry] = []
    for index, hook in enumerate(hooks, 1):
        position = f"{index} of {len(hooks)}"
        entry = _run_one(client, hook, phase, options, hook_options, position, deadline)
        entries.append(entry)
        if entry.action == FAILED:
            return entries
    # as Helm: only once the whole phase succeeded, last first (a Job's ServiceAccount and
    # Role, hooks of the same phase, stay until it finished)
    for hook, entry in reversed(list(zip(hooks, entries, strict=True))):
        if SUCCEEDED in hook.policies and entry.ref is not None:
            _delete_quietly(client, entry.ref)
            entry.action, entry.message = DELETED, f"{entry.message}; deleted (hook-succeeded)"
    return entries


def _run_one(client, hook: Hook, phase, options, hook_options, position, deadline) -> Entry:
    raw = ObjectRef.of(hook.obj)
    try:
        desired = prepare(hook.obj, options, client)
    except ApiError as e:
        return Entry(raw.subject, FAILED, f"{phase} hook: {unserved_words(e, raw)}", ref=raw)
    ref = ObjectRef.of(desired)
    entry = Entry(ref.subject, FAILED, ref=ref, applied=desired)
    try:
        live = client.get(ref)
        if live is not None:
            holder = ownership.owner_of(live, ref)
            if options.owner and holder != options.owner:
                owner = options.describe_owner(holder) if holder else "nobody in Akua"
                entry.message = f"{phase} hook: the object exists and belongs to {owner}; not run"
                return entry
            if BEFORE_CREATION in hook.policies:
                client.delete(ref)
                if not _gone(client, ref, deadline, hook_options):
                    entry.message = (
                        f"{phase} hook: the earlier {ref.subject} was not deleted in time"
                    )
                    return entry
        hook_options.progress(f"Running {phase} hook {ref.subject} ({position})")
        client.apply(desired, manager=options.field_manager, force=True)
        done, failure = _wait(client, ref, deadline, hook_options, phase, position)
    except ApiError as e:
        entry.message = f"{phase} hook: {unserved_words(e, ref)}"
        return entry
    if failure:
        entry.message = f"{phase} hook {ref.subject} failed: {failure}"
        if HOOK_FAILED in hook.policies:
            _delete_quietly(client, ref)
        return entry
    entry.action = CREATED
    entry.message = f"{phase} hook: {done}"
    return entry


def _wait(client, ref: ObjectRef, deadline, hook_options, phase, position) -> tuple[str, str]:
    """(what happened, failure message or "") once the hook is ready or failed."""
    if ref.kind not in ("Job", "Pod"):
        return "created", ""
    started = time.monotonic()
    while True:
        live = client.get(ref)
        if live is None:
            return "finished and removed by the cluster (ttlSecondsAfterFinished)", ""
        status = live.get("status") or {}
        if ref.kind == "Job":
            conditions = {
                c.get("type"): c
                for c in status.get("conditions") or []
                if c.get("status") == "True"
            }
            if "Failed" in conditions:
                cond = conditions["Failed"]
                return "", cond.get("message") or cond.get("reason") or "the Job failed"
            if "Complete" in conditions:
                return "completed", ""
        else:
            if status.get("phase") == "Succeeded":
                return "succeeded", ""
            if status.get("phase") == "Failed":
                return "", status.get("message") or "the Pod failed"
        if time.monotonic() > deadline:
            return "", f"did not finish within {int(hook_options.timeout)} s"
        waited = int(time.monotonic() - started)
        hook_options.progress(
            f"Waiting for {phase} hook {ref.subject} to finish ({position}, {waited} s)"
        )
        time.sleep(hook_options.poll_interval)


def _gone(client, ref, deadline, hook_options) -> bool:
    return wait_gone(client, ref, deadline, hook_options.poll_interval) is None


def _delete_quietly(client, ref) -> None:
    try:
        client.delete(ref)
    except ApiError:
        pass
