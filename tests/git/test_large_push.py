"""A push over 1 MiB goes through the web server `manage.py serve` runs (gunicorn), and a
request whose body stops arriving does not hold one of its threads.

git sends such pushes with a chunked request body; this runs the real server in a child
process on its own SQLite file, so it is what a person running `bin/run` gets.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(tmp_path, request):
    """The server's git URL; indirect parametrisation adds environment variables."""
    data = tmp_path / "data"
    env = {
        **os.environ,
        "AKUA_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'akua.sqlite3'}",
        "AKUA_TASKS_SYNC": "true",
        "DJANGO_SETTINGS_MODULE": "akua.settings",
        **getattr(request, "param", {}),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(*args: str) -> str:
        proc = subprocess.run(
            [*manage, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    run("migrate", "--noinput")
    run("demo")
    token = run("create_token", "alice", "--workspace", "globex").strip().splitlines()[-1]
    inst_id = (
        run(
            "shell",
            "-c",
            "from installations.models import Installation as I;"
            "print('ID', I.objects.get(customer_workspace__slug='globex', name='shop').id)",
        )
        .split("ID ")[-1]
        .strip()
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "akua.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--worker-class", "gthread", "--threads", "4"),
            "--no-control-socket",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a cold start on a loaded machine
    while True:
        try:
            urllib.request.urlopen(f"{base}/login/", timeout=2)
            break
        except OSError:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
    try:
        yield f"http://alice:{token}@127.0.0.1:{port}/git/globex/{inst_id}.git"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _git(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    def git(*args, cwd=None, check=True):
        proc = subprocess.run(
            ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0 or not check, f"git {args[0]}: {proc.stderr}"
        return proc.stdout if check else proc

    return git


def _commit_runbook(git, served, work) -> str:
    git("clone", "--quiet", served, str(work))
    (work / "docs").mkdir()
    (work / "docs" / "runbook.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    git("-c", "user.name=Pat", "-c", "user.email=pat@x", "add", "docs", cwd=work)
    git("-c", "user.name=Pat", "-c", "user.email=pat@x", "commit", "-qm", "Add runbook", cwd=work)
    return git("rev-parse", "HEAD", cwd=work).strip()


def test_a_push_over_one_mebibyte_is_accepted(served, tmp_path):
    git = _git(tmp_path)
    work = tmp_path / "work"
    pushed = _commit_runbook(git, served, work)

    git("push", "--quiet", "origin", "main", cwd=work)

    git("fetch", "--quiet", "origin", cwd=work)
    log = git("log", "--format=%H", "origin/main", cwd=work).split()
    assert pushed in log


@pytest.mark.parametrize("served", [{"AKUA_GIT_MAX_PACK_MB": "1"}], indirect=True)
def test_a_chunked_push_over_the_pack_limit_is_told_which_limit(served, tmp_path):
    git = _git(tmp_path)
    work = tmp_path / "work"
    _commit_runbook(git, served, work)
    before = git("ls-remote", "origin", "main", cwd=work)

    refused = git("push", "origin", "main", cwd=work, check=False)

    assert refused.returncode != 0
    assert "remote: Akua: push refused: it is larger than 1 MiB" in refused.stderr
    assert "(AKUA_GIT_MAX_PACK_MB)" in refused.stderr
    assert git("ls-remote", "origin", "main", cwd=work) == before
    git("clone", "--quiet", served, str(tmp_path / "again"))


def _stall(url: str) -> socket.socket:
    """A receive-pack request that promises 100,000 bytes of body and sends 4."""
    parts = urllib.parse.urlsplit(url + "/git-receive-pack")
    auth = base64.b64encode(f"{parts.username}:{parts.password}".encode()).decode()
    conn = socket.create_connection((parts.hostname, parts.port), timeout=60)
    conn.sendall(
        (
            f"POST {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
            f"Authorization: Basic {auth}\r\n"
            "Content-Type: application/x-git-receive-pack-request\r\n"
            "Content-Length: 100000\r\n\r\n0000"
        ).encode()
    )
    return conn


def _backends(served_data: Path) -> list[int]:
    """Pids of the git-http-backend processes serving repositories under `served_data`."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            # the kernel keeps 15 characters of a command's name
            if (proc / "comm").read_text().strip() != "git-http-backend"[:15]:
                continue
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if f"GIT_PROJECT_ROOT={served_data}".encode() in environ:
            pids.append(int(proc.name))
    return pids


@pytest.mark.parametrize("served", [{"AKUA_GIT_IDLE_SECONDS": "2"}], indirect=True)
def test_requests_whose_body_stops_arriving_do_not_hold_the_servers_threads(served, tmp_path):
    """As many stalled pushes as the server has threads (4): before, each held its thread
    and a `git http-backend` for good, and the next clone waited forever; now each is ended
    once nothing arrived for AKUA_GIT_IDLE_SECONDS, and no backend is left behind (git's
    http-backend spins at full CPU on a body cut short, so it must be killed, child too)."""
    git = _git(tmp_path)
    repos = tmp_path / "data" / "repos"
    stalled = [_stall(served) for _ in range(4)]
    try:
        time.sleep(1)  # all four are being served
        assert len(_backends(repos)) == 4
        started = time.monotonic()
        git("ls-remote", served, "main")
        assert time.monotonic() - started < 60
        for conn in stalled:  # each got its answer cut short and closed
            conn.settimeout(30)
            while conn.recv(65536):
                pass
    finally:
        for conn in stalled:
            conn.close()
    deadline = time.monotonic() + 30
    while _backends(repos):
        assert time.monotonic() < deadline, f"backends left running: {_backends(repos)}"
        time.sleep(0.2)


@pytest.mark.parametrize("served", [{"AKUA_GIT_IDLE_SECONDS": "60"}], indirect=True)
def test_a_client_that_goes_away_mid_body_leaves_no_backend_running(served, tmp_path):
    """The connection closed after 4 of 100,000 bytes: the backend is stopped at once (not
    after the idle time), rather than left spinning for good."""
    repos = tmp_path / "data" / "repos"
    conn = _stall(served)
    time.sleep(1)
    assert len(_backends(repos)) == 1
    conn.close()
    deadline = time.monotonic() + 20
    while _backends(repos):
        assert time.monotonic() < deadline, f"backends left running: {_backends(repos)}"
        time.sleep(0.2)
