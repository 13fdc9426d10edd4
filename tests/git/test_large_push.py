"""A push over 1 MiB goes through the web server `manage.py serve` runs (gunicorn).

git sends such pushes with a chunked request body; this runs the real server in a child
process on its own SQLite file, so it is what a person running `bin/run` gets.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    data = tmp_path / "data"
    env = {
        **os.environ,
        "AKUA_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'akua.sqlite3'}",
        "AKUA_TASKS_SYNC": "true",
        "DJANGO_SETTINGS_MODULE": "akua.settings",
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
    deadline = time.monotonic() + 30
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


def test_a_push_over_one_mebibyte_is_accepted(served, tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    def git(*args, cwd=None):
        proc = subprocess.run(
            ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, f"git {args[0]}: {proc.stderr}"
        return proc.stdout

    work = tmp_path / "work"
    git("clone", "--quiet", served, str(work))
    (work / "docs").mkdir()
    (work / "docs" / "runbook.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    git("-c", "user.name=Pat", "-c", "user.email=pat@x", "add", "docs", cwd=work)
    git("-c", "user.name=Pat", "-c", "user.email=pat@x", "commit", "-qm", "Add runbook", cwd=work)
    pushed = git("rev-parse", "HEAD", cwd=work).strip()

    git("push", "--quiet", "origin", "main", cwd=work)

    git("fetch", "--quiet", "origin", cwd=work)
    log = git("log", "--format=%H", "origin/main", cwd=work).split()
    assert pushed in log
