"""The render child's walls, asked directly (`sandbox.probe` runs our code, no package's).

What a render can reach: no variable of the server's environment, no file outside its
private root, no network; and the server process itself never loads kcl-lib or the Helm
engine, so nothing a package does can crash it.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import akua
from akua.packaging import Limits, default_limits, render, set_default_limits
from akua.packaging.sandbox import configure, isolation, probe
from akua.packaging.sandbox.pool import POOL
from tests.packaging.fixture_packages import PACKAGES, write_package

ROOT = Path(__file__).resolve().parents[2]


def _userns_allowed() -> bool:
    try:
        return subprocess.run(["unshare", "-Urn", "true"], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


def _landlock_abi() -> int:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return max(0, libc.syscall(444, None, 0, 1))


@pytest.fixture
def listener():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address
    server.shutdown()


@pytest.fixture(params=["namespaces", "landlock only"])
def walls(request):
    """Both set-ups: the full one, and what holds where the OS refuses namespaces."""
    if request.param == "landlock only" and _landlock_abi() < 4:
        pytest.skip("the kernel has no Landlock network rules")
    configure(namespaces=request.param == "namespaces")
    yield request.param
    configure(namespaces=True)


def test_a_render_sees_no_environment_no_files_and_no_network(
    tmp_path, monkeypatch, listener, walls
):
    monkeypatch.setenv("AKUA_ENCRYPTION_KEY", "the-key")
    key = tmp_path / "encryption_key"
    key.write_text("the-key\n")
    paths = ["/etc/hostname", str(key), f"/proc/{os.getpid()}/environ", str(ROOT / "README.md")]

    seen = probe(paths, connect=listener)

    assert set(seen["environment"]) <= {"PATH", "HOME"}
    assert seen["readable"] == dict.fromkeys(paths, False)
    assert seen["connect"] != "connected"
    held = seen["isolation"]
    if walls == "namespaces" and _userns_allowed():
        assert held["namespaces"] and held["chroot"], held
        jobs = [name for name in seen["root"] if name.startswith("job")]
        assert len(jobs) == 1 and set(seen["root"]) - set(jobs) <= {".akua", "tmp"}, seen["root"]
    if _landlock_abi():
        assert held["landlock"] >= 1


def test_a_child_serving_again_holds_nothing_of_the_job_before(tmp_path):
    pkg = write_package(tmp_path / "pkg", "resources = []\n")
    render(pkg, {})
    render(pkg, {})
    seen = probe()
    assert [n for n in seen["root"] if n.startswith("job")] == [f"job{_jobs(seen)}"]
    assert _jobs(seen) > 1  # the same child served the renders before: it was reused


def _jobs(seen: dict) -> int:
    return max(int(n[3:]) for n in seen["root"] if n.startswith("job"))


def test_the_child_runs_the_same_akua_as_this_process():
    assert probe()["akua"] == str(Path(akua.__file__).resolve().parent.parent)


def test_rendering_never_loads_the_engines_into_this_process():
    code = (
        "import sys\n"
        "from akua.packaging import render, export_schema\n"
        f"render({str(PACKAGES / 'local-chart')!r})\n"
        f"export_schema({str(PACKAGES / 'ui-export')!r})\n"
        "print(sorted(m for m in ('kcl_lib', 'helm_python') if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_threads_render_at_the_same_time(tmp_path):
    packages = [
        write_package(
            tmp_path / f"p{i}",
            f'resources = [{{apiVersion = "v1", kind = "ConfigMap", metadata.name = "t{i}"}}]\n',
        )
        for i in range(4)
    ]
    names: dict[int, str] = {}

    def one(i):
        names[i] = render(packages[i], {}).resources[0]["metadata"]["name"]

    threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert names == {i: f"t{i}" for i in range(4)}


def test_a_forked_process_renders_with_children_of_its_own(tmp_path):
    """django-q2 forks its workers: a fork must not use the children it inherited."""
    pkg = write_package(tmp_path / "pkg", "resources = []\n")
    render(pkg, {})  # this process now keeps a warm child
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the fork reports through its exit status
        try:
            ok = render(pkg, {}).resources == []
            POOL.shutdown()  # os._exit skips atexit: end our own children here
            os._exit(0 if ok else 1)
        except BaseException:
            os._exit(2)
    deadline = time.monotonic() + 120
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if done[0] == 0:  # pragma: no cover - a hung fork fails the test instead of the suite
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the forked process did not finish its render")
    assert os.waitstatus_to_exitcode(done[1]) == 0
    assert render(pkg, {}).resources == []


def test_process_defaults_apply_to_every_render(tmp_path):
    program = (
        "f = lambda x: int -> int {\n    x * 3 + 1\n}\nn = sum([f(i) for i in range(3000000)])\n"
    )
    pkg = write_package(tmp_path / "pkg", program + "resources = []\n")
    before = default_limits()
    set_default_limits(before.but(wall_seconds=1))
    try:
        with pytest.raises(Exception, match=r"longer than 1 s \(wall time limit\)"):
            render(pkg, {})
    finally:
        set_default_limits(before)


@pytest.mark.parametrize(
    "bad", [{"memory_mib": 1024}, {"cpu_seconds": 0}, {"wall_seconds": -1}, {"resources": True}]
)
def test_limits_are_checked(bad):
    with pytest.raises(ValueError, match="render limit"):
        Limits(**bad)


def test_what_held_is_reported_after_a_render(tmp_path):
    render(write_package(tmp_path / "pkg", "resources = []\n"), {})
    assert isolation()["namespaces"] == _userns_allowed()
