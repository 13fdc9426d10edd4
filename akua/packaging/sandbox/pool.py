"""Render children: fresh interpreters, started ahead of need, each serving a bounded run of jobs.

A child is `python -I -c <boot>` with an empty environment (only MALLOC_ARENA_MAX=2 and
GOMAXPROCS=2, which keep glibc and the Go runtime from reserving per-thread address space
the memory limit counts, however many cores the machine has), started with
`subprocess.Popen` (fork + exec with no Python between them: safe in a threaded server,
unlike `preexec_fn`). Its boot line puts the directory this process imports `akua` from
first on its path, so the child runs the same code as the parent whatever the
virtualenv's editable install points at.

Protocol: the child writes READY once it is sealed; then, per job, the parent writes an
8-byte big-endian length and the job's JSON, the child answers the same way. Each job's
files sit in a directory of their own (`job<N>/tree0`, ...), copied there by the parent;
the child removes it, and empties its tmp/, after answering and before reading the next
job. CPU is metered per job twice: the child moves its RLIMIT_CPU soft limit to
"now + the job's budget" (SIGXCPU), and the parent reads the child's CPU time from /proc
and kills it past the budget.

A child serves up to `MAX_JOBS` jobs (starting one costs ~0.25 s of CPU, a job ~10 ms)
and is retired early when a job ends in anything but an answer or an ordinary package
error (a limit, a crash, a timeout), when its memory grew (`has_room`), or when
its log grew. The pool keeps one child waiting for the default limits. It belongs to one
process: after a fork (a django-q2 worker) the new process forgets the children it
inherited and starts its own. A lock makes it safe for threads.
"""

from __future__ import annotations

import atexit
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# The directory this process imports `akua` from (akua/packaging/sandbox/pool.py -> ../../..).
AKUA_TREE = Path(__file__).resolve().parents[3]
BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); import runpy; "
    "runpy.run_module('akua.packaging.sandbox', run_name='__main__', alter_sys=True)"
)
ENV = {"MALLOC_ARENA_MAX": "2", "GOMAXPROCS": "2"}
WARMUP_CPU_SECONDS = 60
READ_CHUNK = 1 << 16
READY = b"R"  # the child's first byte on stdout: sealed, waiting for jobs
HEADER = 8
MAX_JOBS = 50
MAX_IDLE_RSS = 512 * 1024 * 1024
ROOM = (
    384 * 1024 * 1024
)  # address space a child must have left to serve again (it starts at ~1.45 GiB)
MAX_LOG = 1024 * 1024
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Spawn:
    """What a child is started with; a job needing different settings gets a child of its own."""

    memory_mib: int
    file_mib: int
    kubectl: str | None
    namespaces: bool


@dataclass
class Exit:
    """How a job ended, as the parent saw it."""

    answer: bytes  # the JSON answer (empty when there is none)
    ready: bool  # the child got as far as sealing itself (else it failed to start)
    alive: bool  # the child answered and waits for the next job
    status: int | None = None  # exit status, or None when killed by a signal (or alive)
    signal: int | None = None
    cpu_seconds: float = 0.0  # this job's CPU time
    timed_out: bool = False
    cpu_exceeded: bool = False  # killed by the parent's CPU watchdog
    overflowed: bool = False
    log_size: int = 0
    log_tail: str = ""  # the end of the child's stderr: read to recognise a crash, never shown


class Child:
    def __init__(self, spawn: Spawn):
        self.spawn = spawn
        self.root = Path(tempfile.mkdtemp(prefix="akua-sandbox-"))
        self.log = tempfile.TemporaryFile(prefix="akua-sandbox-log-")
        config = {
            "root": str(self.root),
            "memory_mib": spawn.memory_mib,
            "file_mib": spawn.file_mib,
            "kubectl": spawn.kubectl,
            "namespaces": spawn.namespaces,
            "warmup_cpu_seconds": WARMUP_CPU_SECONDS,
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", BOOT, str(AKUA_TREE), json.dumps(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=ENV,
            cwd=self.root,
            start_new_session=True,
            close_fds=True,
        )
        os.set_blocking(self.proc.stdin.fileno(), False)
        self.pid = os.getpid()
        self.jobs = 0
        self.ready = False
        self._pending = bytearray()  # read past the end of an answer (never, by protocol)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def next_job_dir(self) -> str:
        self.jobs += 1
        return f"job{self.jobs}"

    def run(self, job: bytes, *, wall_seconds: float, cpu_seconds: float, max_answer: int) -> Exit:
        """Hand one job over and read its answer; kill the child at the deadline or budget."""
        deadline = time.monotonic() + wall_seconds
        cpu_start = self._cpu()
        pending = memoryview(len(job).to_bytes(HEADER, "big") + job)
        buffer = self._pending
        expected: int | None = None
        ended = Exit(answer=b"", ready=self.ready, alive=False)
        stdin, stdout = self.proc.stdin, self.proc.stdout
        with selectors.DefaultSelector() as sel:
            sel.register(stdout, selectors.EVENT_READ)
            sel.register(stdin, selectors.EVENT_WRITE)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    ended.timed_out = True
                    break
                if self.ready and self._cpu() - cpu_start > cpu_seconds + 1:
                    ended.cpu_exceeded = True
                    break
                events = sel.select(timeout=min(left, 0.25))
                eof = False
                for key, _ in events:
                    if key.fileobj is stdin:
                        try:
                            pending = pending[os.write(stdin.fileno(), pending[: 1 << 20]) :]
                        except BrokenPipeError:
                            pending = pending[:0]
                        if not pending:
                            sel.unregister(stdin)
                        continue
                    chunk = os.read(stdout.fileno(), READ_CHUNK)
                    if not chunk:
                        eof = True
                        break
                    buffer += chunk
                if not self.ready and buffer[:1] == READY:
                    self.ready = ended.ready = True
                    del buffer[:1]
                    cpu_start = self._cpu()  # the job starts now, not the warm-up
                if self.ready and expected is None and len(buffer) >= HEADER:
                    expected = int.from_bytes(buffer[:HEADER], "big")
                    del buffer[:HEADER]
                    if expected > max_answer:
                        ended.overflowed = True
                        break
                if expected is not None and len(buffer) >= expected:
                    ended.answer = bytes(buffer[:expected])
                    del buffer[:expected]
                    ended.alive = True
                    ended.cpu_seconds = max(0.0, self._cpu() - cpu_start)
                    return ended
                if eof:
                    break
        if ended.timed_out or ended.overflowed or ended.cpu_exceeded:
            self.kill()
        status, sig, total = self._reap(time.monotonic() + 5)
        if status is None and sig is None:  # neither answered nor ended: end it
            self.kill()
            status, sig, total = self._reap(None)
        ended.status, ended.signal = status, sig
        ended.cpu_seconds = max(0.0, total - cpu_start)
        ended.log_size = self.log_size()
        ended.log_tail = self._log_tail()
        return ended

    def _cpu(self) -> float:
        """The child's CPU time so far (all its threads), from /proc."""
        try:
            with open(f"/proc/{self.proc.pid}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _TICKS
        except (OSError, IndexError, ValueError):
            return 0.0

    def memory(self) -> tuple[int, int]:
        """(address space, resident) of the child in bytes, from /proc."""
        found = {b"VmSize:": 0, b"VmRSS:": 0}
        try:
            with open(f"/proc/{self.proc.pid}/status", "rb") as fh:
                for line in fh:
                    key = line.split(b" ", 1)[0].split(b"\t", 1)[0]
                    if key in found:
                        found[key] = int(line.split()[1]) * 1024
        except (OSError, ValueError):
            pass
        return found[b"VmSize:"], found[b"VmRSS:"]

    def has_room(self) -> bool:
        """Whether a next job finds the memory a fresh child would: the heap a job leaves
        behind counts against the address-space limit of every job after it."""
        size, resident = self.memory()
        limit = self.spawn.memory_mib * 1024 * 1024
        return resident < MAX_IDLE_RSS and size < limit - ROOM

    def _reap(self, deadline: float | None) -> tuple[int | None, int | None, float]:
        """(exit status, signal, CPU seconds); (None, None, 0) if it did not end by `deadline`."""
        while True:
            try:
                pid, wstatus, usage = os.wait4(self.proc.pid, 0 if deadline is None else os.WNOHANG)
            except ChildProcessError:
                return self.proc.returncode or 0, None, 0.0
            if pid:
                break
            if time.monotonic() > deadline:
                return None, None, 0.0
            time.sleep(0.002)
        self.proc.returncode = os.waitstatus_to_exitcode(wstatus)
        cpu = usage.ru_utime + usage.ru_stime
        if os.WIFSIGNALED(wstatus):
            return None, os.WTERMSIG(wstatus), cpu
        return os.WEXITSTATUS(wstatus), None, cpu

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def log_size(self) -> int:
        return os.fstat(self.log.fileno()).st_size

    def _log_tail(self) -> str:
        size = self.log_size()
        self.log.seek(max(0, size - 4096))
        return self.log.read().decode("utf-8", "replace")

    def close(self) -> None:
        """End the child (an idle one exits on end of input) and remove its root."""
        if self.pid != os.getpid():
            return  # inherited through fork: the process that started it cleans up
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream and not stream.closed:
                    stream.close()
            except OSError:
                pass
        if self.proc.returncode is None:
            if self._reap(time.monotonic() + 2)[0:2] == (None, None):
                self.kill()
                self._reap(None)
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)


class _Closing:
    """Children being retired: ended and cleaned up off the caller's time."""

    def __init__(self):
        self._lock = threading.Lock()
        self._threads: set[threading.Thread] = set()

    def start(self, child: Child) -> None:
        thread = threading.Thread(target=self._close, args=(child,), daemon=True)
        with self._lock:
            self._threads.add(thread)
        thread.start()

    def _close(self, child: Child) -> None:
        try:
            child.close()
        finally:
            with self._lock:
                self._threads.discard(threading.current_thread())

    def wait(self) -> None:
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=5)


_closing = _Closing()


class Pool:
    def __init__(self, size: int = 1, max_jobs: int = MAX_JOBS):
        self.size = size
        self.max_jobs = max_jobs
        self._lock = threading.Lock()
        self._idle: list[Child] = []
        self._pid = os.getpid()

    def _forked(self) -> None:
        if self._pid != os.getpid():  # we are a fork: those children are not ours
            self._idle = []
            self._pid = os.getpid()

    def take(self, spawn: Spawn) -> Child:
        """A waiting child for this spawn config if there is one, else a new one."""
        with self._lock:
            self._forked()
            for candidate in list(self._idle):
                if candidate.spawn == spawn and candidate.alive():
                    self._idle.remove(candidate)
                    if candidate.jobs + 1 >= self.max_jobs and not self._idle and self.size:
                        self._idle.append(Child(spawn))  # its successor warms up meanwhile
                    return candidate
        return Child(spawn)

    def give_back(self, child: Child, *, reusable: bool, warm: Spawn | None) -> None:
        """After a job: keep the child for the next one, or retire it.

        `warm` is the spawn config of the process's default limits: one child for it is
        always waiting (started here when none is); children of other configs retire.
        """
        keep = (
            reusable
            and child.spawn == warm
            and child.jobs < self.max_jobs
            and child.alive()
            and child.has_room()
            and child.log_size() < MAX_LOG
        )
        retired: list[Child] = []
        with self._lock:
            self._forked()
            if keep and len(self._idle) < self.size:
                self._idle.append(child)
                child = None
            if warm is not None:
                retired = [c for c in self._idle if c.spawn != warm or not c.alive()]
                for c in retired:
                    self._idle.remove(c)
                if not self._idle and self.size:
                    self._idle.append(Child(warm))
        for c in [child, *retired]:
            if c is not None:
                _closing.start(c)

    def shutdown(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for child in idle:
            child.close()
        _closing.wait()


POOL = Pool()
atexit.register(POOL.shutdown)
