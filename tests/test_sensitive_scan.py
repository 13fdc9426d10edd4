"""The end-of-session scan (tests/conftest.py `pytest_sessionfinish`) fails a run whose
repositories hold a sensitive test value in any form — with and without xdist, on every
worker. Each case runs a pytest of its own on tests/leak_probe.py, outside this session's
temporary directory (whose scan would otherwise find the probe's leak)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import SENSITIVE, bare_repositories, leaks_in

ROOT = Path(__file__).resolve().parent.parent


def _probe(*args: str) -> subprocess.CompletedProcess:
    basetemp = Path(tempfile.mkdtemp(prefix="akua-leak-probe-"))
    try:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "tests/leak_probe.py",
                "-q",
                "-p",
                "no:cacheprovider",
                f"--basetemp={basetemp / 'tmp'}",
                *args,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(basetemp, ignore_errors=True)


def test_a_leak_fails_a_run_without_xdist():
    proc = _probe("-p", "no:xdist")
    assert proc.returncode == pytest.ExitCode.TESTS_FAILED, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout
    assert "sensitive values found in git" in proc.stdout
    assert "leaky.git holds password reversed" in proc.stdout


def test_a_leak_fails_a_run_on_every_xdist_worker():
    proc = _probe("-n", "2", "--dist", "each")
    assert proc.returncode == pytest.ExitCode.TESTS_FAILED, proc.stdout + proc.stderr
    assert "2 passed" in proc.stdout
    for worker in ("gw0", "gw1"):
        assert f"{worker}: " in proc.stdout and "leaky.git holds password reversed" in proc.stdout


def test_every_form_is_looked_for(tmp_path):
    forms = SENSITIVE.forms()
    assert forms["password reversed"] == SENSITIVE.password[::-1]
    assert forms["api_key upper-case"] == SENSITIVE.api_key.upper()
    assert bytes.fromhex(forms["token hex"]).decode() == SENSITIVE.token
    repo = tmp_path / "r.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    for name in ("new_password base64", "pushed upper-case"):
        subprocess.run(
            ["git", "--git-dir", str(repo), "hash-object", "-w", "--stdin"],
            input=f"x {forms[name]} y".encode(),
            check=True,
            capture_output=True,
        )
    assert list(bare_repositories(tmp_path)) == [repo]
    assert sorted(leaks_in(repo, forms)) == ["new_password base64", "pushed upper-case"]
    shutil.rmtree(repo)  # this session's own scan must not find it
