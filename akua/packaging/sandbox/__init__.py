"""The one way package code runs: `run()` stages the tree and hands it to a sealed child process.

Every render, schema export and chart render (push checks, wizard preview and review, the
render task, publishing, generation, `python -m akua.packaging`) comes through `run`. The
parent (this process: a gunicorn thread, a django-q2 worker, the CLI) resolves and
fetches dependencies and copies the tree (akua.packaging.sandbox.stage); a child
interpreter, started fresh, limits and isolates itself before it loads kcl-lib and the
Helm engine (akua.packaging.sandbox.isolate), then serves jobs one at a time
(akua.packaging.sandbox.pool says how many, and when it is retired). A crash, a limit or a
timeout in the child is a PackagingError that names the limit; the caller never crashes.

Process-wide settings: `configure(limits=, namespaces=, warm_children=, renders_per_child=)`
(the server applies Django's AKUA_RENDER_* settings at startup, catalog.apps);
`set_default_limits` sets the limits alone. `isolation()` says what held in the last
child, `probe()` asks a child what it can reach.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import tempfile
from pathlib import Path

from akua.packaging.errors import PackagingError
from akua.packaging.sandbox.limits import Limits, MiB, default_limits, set_default_limits
from akua.packaging.sandbox.pool import POOL, Exit, Spawn
from akua.packaging.sandbox.stage import Stage, stage_package, stage_tree

__all__ = [
    "Limits",
    "configure",
    "default_limits",
    "isolation",
    "probe",
    "run",
    "set_default_limits",
]

logger = logging.getLogger(__name__)

_MEMORY_SIGNS = (
    "memory allocation of",  # Rust (kcl-lib)
    "out of memory",  # Go (the Helm engine)
    "cannot allocate memory",
    "failed to reserve",
    "MemoryError",
    "pthread_create failed",  # a thread's stack no longer fits in the address space
)
_settings = {"namespaces": True}
_last_isolation: dict | None = None


def configure(
    *,
    limits: Limits | None = None,
    namespaces: bool | None = None,
    warm_children: int | None = None,
    renders_per_child: int | None = None,
) -> None:
    """This process's sandbox settings; None leaves one as it is.

    limits            the default Limits of every render
    namespaces        Linux namespaces and the chroot that needs them (on by default;
                      off leaves the rlimits, the empty environment and Landlock)
    warm_children     render children kept started and waiting (default 1)
    renders_per_child renders one child serves before it is replaced (default 50; 1 makes
                      every render start from a fresh process)
    """
    if limits is not None:
        set_default_limits(limits)
    if namespaces is not None:
        _settings["namespaces"] = bool(namespaces)
    if warm_children is not None:
        if warm_children < 0:
            raise ValueError("warm_children must be 0 or more")
        POOL.size = warm_children
    if renders_per_child is not None:
        if renders_per_child < 1:
            raise ValueError("renders_per_child must be at least 1")
        POOL.max_jobs = renders_per_child


def isolation() -> dict | None:
    """What held in the last render child of this process (namespaces, chroot, landlock)."""
    return dict(_last_isolation) if _last_isolation else None


def probe(paths: list[str] = (), connect: tuple[str, int] | None = None) -> dict:
    """Ask a render child what it can reach: its environment, its root, whether each of
    `paths` opens for reading, whether a TCP connection to `connect` succeeds. Runs no
    package code; `python -m akua.packaging sandbox` prints it for this machine."""
    with tempfile.TemporaryDirectory(prefix="akua-probe-") as tmp:
        (Path(tmp) / "pkg").mkdir()
        value = run("probe", Path(tmp) / "pkg", {"paths": list(paths), "connect": connect})
    return {**value, "isolation": isolation()}


def run(
    op: str,
    target,
    payload: dict | None = None,
    *,
    allow_fetch: bool = False,
    limits: Limits | None = None,
):
    """Run `op` ("render", "export" or "chart") on the package or chart at `target`.

    The value is what the child computed: resources, a schema (None: no `schema Input`)
    or a chart's objects. Raises PackagingError for the package's errors and the limits.
    """
    limits = limits or default_limits()
    if op in ("chart", "probe"):
        stage = stage_tree(Path(target))
    else:
        stage = stage_package(Path(target), allow_fetch=allow_fetch)

    def job_for(where: str) -> bytes:
        """The job with its files under `where/` of the child's root."""
        job = {
            "op": op,
            "limits": limits.as_dict(),
            "workdir": where,
            "resolution": {
                f"{where}/{package}": {
                    alias: {**dep, "dir": f"{where}/{dep['dir']}"} for alias, dep in deps.items()
                }
                for package, deps in stage.resolution.items()
            },
            **(payload or {}),
            ("chart" if op == "chart" else "package"): f"{where}/tree0",
        }
        try:
            return json.dumps(job, separators=(",", ":"), allow_nan=False).encode("utf-8")
        except (TypeError, ValueError) as exc:
            raise PackagingError(f"inputs must be plain values (YAML or JSON): {exc}") from None

    job_for("check")  # refuse unserialisable inputs before a child is involved
    ended, answer, where = _in_child(stage, job_for, limits)
    return _value_of(ended, answer, limits, stage, where)


def _in_child(stage: Stage, job_for, limits: Limits) -> tuple[Exit, dict | None, str]:
    kubectl = shutil.which("kubectl")
    spawn = Spawn(
        memory_mib=limits.memory_mib,
        file_mib=limits.output_mib,
        kubectl=os.path.realpath(kubectl) if kubectl else None,
        namespaces=_settings["namespaces"],
    )
    base = default_limits()
    same = (spawn.memory_mib, spawn.file_mib) == (base.memory_mib, base.output_mib)
    warm = spawn if same else None
    for attempt in (1, 2):
        child = POOL.take(spawn)
        where = child.next_job_dir()
        answer = None
        try:
            target = child.root / where
            target.mkdir()
            stage.copy_into(target)
            ended = child.run(
                job_for(where),
                wall_seconds=limits.wall_seconds,
                cpu_seconds=limits.cpu_seconds,
                max_answer=limits.output_mib * MiB + 65536,
            )
            if ended.alive:
                try:
                    answer = json.loads(ended.answer)
                except ValueError:
                    answer = None
            if ended.ready or ended.timed_out or attempt == 2:
                return ended, answer, where
            # It died before it was ready (the Go runtime failing to start a thread near
            # the memory limit, ~5% of starts at 1.5 GiB): not the package's doing, so once
            # more with a fresh child.
            logger.warning("a render child failed to start: %s", ended.log_tail[-500:])
        finally:
            # A child that answered (a value, or the package's own error) serves again; it
            # empties its root itself before it reads the next job. One that hit a limit,
            # crashed or timed out is retired.
            ordinary = isinstance(answer, dict) and "limit" not in answer
            POOL.give_back(child, reusable=ordinary, warm=warm)
    raise AssertionError("unreachable")


def _value_of(ended: Exit, answer: dict | None, limits: Limits, stage: Stage, where: str):
    global _last_isolation
    if answer is None:
        _raise_for_exit(ended, limits)
    _last_isolation = answer.get("isolation")
    if answer.get("ok"):
        return answer.get("value")
    limit = answer.get("limit")
    if limit == "memory":
        raise _memory_error(limits)
    if limit == "output":
        raise _output_error(limits)
    if limit == "resources":
        raise PackagingError(
            f"the render produced {answer.get('count')} resources, more than "
            f"{limits.resources} (resource count limit)"
        )
    error = answer.get("error") or {}
    seen = f"{(answer.get('seen_root') or '/').rstrip('/')}/{where}"
    file = error.get("file")
    raise PackagingError(
        stage.to_original(str(error.get("message") or "the render failed"), seen),
        file=stage.to_original(file, seen) if file else None,
        line=error.get("line"),
    )


def _raise_for_exit(ended: Exit, limits: Limits):
    """The child gave no answer: say which limit ended it, or how it died."""
    if ended.timed_out:
        raise PackagingError(
            f"the render took longer than {_num(limits.wall_seconds)} s (wall time limit)"
        )
    if ended.overflowed:
        raise _output_error(limits)
    if (
        ended.cpu_exceeded
        or ended.signal == signal.SIGXCPU
        or (ended.signal == signal.SIGKILL and ended.cpu_seconds >= limits.cpu_seconds)
    ):
        raise PackagingError(
            f"the render used more than {_num(limits.cpu_seconds)} s of CPU time (CPU time limit)"
        )
    if ended.signal == signal.SIGXFSZ or ended.log_size >= limits.output_mib * MiB:
        raise PackagingError(
            f"the render printed more than {limits.output_mib} MiB (output size limit)"
        )
    if not ended.ready:
        logger.error("the render sandbox could not start: %s", ended.log_tail[-2000:])
        raise PackagingError("the render sandbox could not start; the server log says why")
    if any(sign in ended.log_tail for sign in _MEMORY_SIGNS):
        raise _memory_error(limits)
    if ended.signal is not None:
        raise _crash_error(ended.signal)
    raise PackagingError(f"the render process failed (exit status {ended.status})")


def _memory_error(limits: Limits) -> PackagingError:
    return PackagingError(f"the render ran out of memory (limit {limits.memory_mib} MiB)")


def _output_error(limits: Limits) -> PackagingError:
    return PackagingError(
        f"the render's output is larger than {limits.output_mib} MiB (output size limit)"
    )


def _crash_error(number: int) -> PackagingError:
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    hint = ""
    if number in (signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT):
        hint = ": likely unbounded recursion in package.k"
    return PackagingError(f"the render crashed (signal {name}){hint}")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
