"""The render child's work, after `isolate.enter`: load the engines, warm up, seal, serve jobs.

Protocol (akua.packaging.sandbox.pool is the other end), every message framed by its
length (8 bytes, big-endian):
  stdin   JSON jobs {"op", "limits", ...}, one after the other; end of input means the
          parent is done with us, and the child exits without a word;
  stdout  "R" once sealed (a child that dies before that failed to start, and the parent
          retries once), then one JSON answer per job: {"ok": true, "value": ...} or
          {"ok": false, "error": {message, file, line}} or {"ok": false, "limit":
          "memory" | "output" | "resources", ...}, with "isolation" (what held) in each;
  stderr  a file the parent keeps; fd 1 points there too, so what KCL's `print` writes
          never mixes with the answer. The parent reads it only to recognise a crash
          (it may hold the package's own output, sensitive values included, so it is
          never logged or shown).

Everything the job path needs is imported and exercised by the warm-up render, because
after the seal the interpreter cannot read its own library any more.
"""

from __future__ import annotations

import encodings.idna  # noqa: F401  (sockets need it; after the seal nothing more loads)
import json
import os
import shutil
import signal
import socket
import subprocess  # noqa: F401  (the kustomize engine needs it after the seal)
import sys
import tempfile
from pathlib import Path

from akua.packaging import evaluate, kcl_runner
from akua.packaging.errors import PackagingError
from akua.packaging.resolve import Resolved
from akua.packaging.sandbox import isolate
from akua.packaging.target import DEFAULT_NAMESPACE, DEFAULT_RELEASE, Target

WARMUP = Path(__file__).parent / "warmup"
STDLIB_INSIDE = ".akua/lib/akua"
START_FAILED = 70  # exit status: the child could not start (not the package's fault)
READY = b"R"  # first byte of stdout: sealed, waiting for jobs (akua.packaging.sandbox.pool)
HEADER = 8  # every job and answer is preceded by its length, 8 bytes big-endian


def warm_up(root: str) -> None:
    """Render and export a small Helm-backed package, so every lazy import happens now."""
    stage = Path(root) / ".akua" / "warmup"
    shutil.copytree(WARMUP, stage)
    try:
        evaluate.set_resolution({})
        evaluate.render_resources(stage, {"name": "warm"})
        evaluate.export(stage)
        kcl_runner.run(kcl_runner.Program(str(stage / "x.k"), "a = 1", {}, {}), None)
        json.dumps(json.loads('{"a": [1, 2.5, null, true]}'))
        PackagingError("warm", file="x", line=1).__str__()
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        evaluate.set_resolution({})


def install_stdlib(root: str) -> None:
    target = Path(root) / STDLIB_INSIDE
    shutil.copytree(kcl_runner.STDLIB_DIR, target)


def serve(root: str, state: isolate.Isolation, answer_out, *, kubectl: str | None) -> None:
    install_stdlib(root)
    warm_up(root)
    seen = isolate.seal(root, state, kubectl=kubectl)
    base = Path(seen)
    kcl_runner.STDLIB_DIR = base / STDLIB_INSIDE
    (base / "tmp").mkdir(exist_ok=True)
    tempfile.tempdir = str(base / "tmp")
    os.environ.clear()
    os.environ["PATH"] = str(Path(isolate.KUBECTL_INSIDE).parent) if state.namespaces else ""
    if kubectl and not state.namespaces:
        os.environ["PATH"] = str(Path(kubectl).parent)
    os.environ["HOME"] = str(base / "tmp")
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # printing past the file size limit ends us
    answer_out.write(READY)
    answer_out.flush()

    jobs = sys.stdin.buffer
    while True:
        header = _read(jobs, HEADER)
        if len(header) < HEADER:
            # End of input: the parent is done with us, or gone (killed, or a fork that
            # ended with os._exit). Leave nothing behind but the emptied root itself.
            _empty(base)
            return
        job = json.loads(_read(jobs, int.from_bytes(header, "big")))
        isolate.limit_cpu(int(job["limits"]["cpu_seconds"]))
        answer = _run(job, base)
        answer["isolation"] = state.as_dict()
        answer["seen_root"] = seen
        _write(answer_out, answer, job["limits"])
        evaluate.set_resolution({})
        _wipe(base, job.get("workdir"))  # before the next job is even read


def _wipe(base: Path, workdir: str | None) -> None:
    """Nothing of a job stays for the next: its files and whatever went into tmp/."""
    if workdir:
        shutil.rmtree(base / workdir, ignore_errors=True)
    for entry in (base / "tmp").iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _empty(base: Path) -> None:
    for entry in base.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            try:
                entry.unlink()
            except OSError:
                pass  # kubectl's bind mount point


def _read(stream, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _run(job: dict, base: Path) -> dict:
    try:
        if job["op"] == "render":
            _use_resolution(job, base)
            target = Target(
                release=job.get("release") or DEFAULT_RELEASE,
                namespace=job.get("namespace") or DEFAULT_NAMESPACE,
            )
            value = evaluate.render_resources(
                base / job["package"], job.get("inputs") or {}, target=target
            )
            limit = job["limits"]["resources"]
            if len(value) > limit:
                return {"ok": False, "limit": "resources", "count": len(value)}
        elif job["op"] == "export":
            _use_resolution(job, base)
            value = evaluate.export(base / job["package"])
        elif job["op"] == "probe":
            value = _probe(job, base)
        elif job["op"] == "chart":
            value = evaluate.render_chart(
                base / job["chart"],
                job.get("values") or {},
                release=job["release"],
                namespace=job["namespace"],
            )
        else:
            raise PackagingError(f"unknown sandbox operation {job['op']!r}")
        return {"ok": True, "value": value}
    except PackagingError as exc:
        return {"ok": False, "error": {"message": exc.message, "file": exc.file, "line": exc.line}}
    except MemoryError:
        return {"ok": False, "limit": "memory"}
    except RecursionError:
        return {"ok": False, "error": {"message": "the package is nested too deeply to render"}}
    except Exception as exc:  # an engine bug still comes back as a message
        return {"ok": False, "error": {"message": f"{type(exc).__name__}: {exc}"}}


def _probe(job: dict, base: Path) -> dict:
    """What a render could reach from here: our own code, no package (`sandbox.probe`)."""
    readable = {}
    for path in job.get("paths") or []:
        try:
            with open(path, "rb") as fh:
                fh.read(1)
            readable[path] = True
        except OSError:
            readable[path] = False
    reached = None
    if job.get("connect"):
        host, port = job["connect"]
        try:
            socket.create_connection((host, int(port)), timeout=2).close()
            reached = "connected"
        except OSError as exc:
            reached = f"{type(exc).__name__}: {exc.strerror or exc}"
    return {
        "environment": sorted(os.environ),
        "root": sorted(os.listdir(base)),
        "readable": readable,
        "connect": reached,
        "uid": os.getuid(),
        "akua": str(Path(evaluate.__file__).parents[2]),  # the tree this child runs
    }


def _use_resolution(job: dict, base: Path) -> None:
    table: dict[Path, dict[str, Resolved]] = {}
    for package, deps in (job.get("resolution") or {}).items():
        table[base / package] = {
            alias: Resolved(alias, dep["kind"], (base / dep["dir"]).resolve(), None)
            for alias, dep in deps.items()
        }
    evaluate.set_resolution(table)


def _write(out, answer: dict, limits: dict) -> None:
    cap = int(limits["output_mib"]) * 1024 * 1024
    try:
        data = json.dumps(answer, separators=(",", ":")).encode("utf-8")
    except MemoryError:
        data = b'{"ok":false,"limit":"memory"}'
    except (TypeError, ValueError) as exc:
        data = json.dumps({"ok": False, "error": {"message": f"unreadable result: {exc}"}}).encode()
    if len(data) > cap:
        data = json.dumps({"ok": False, "limit": "output", "size": len(data)}).encode()
    out.write(len(data).to_bytes(HEADER, "big") + data)
    out.flush()
