"""Run only by tests/test_sensitive_scan.py, in a pytest of its own: a test that lets a
sensitive value reach a repository (reversed, as package code might), so the end-of-session
scan must fail that run. Not collected by the suite (the name is not test_*.py)."""

from __future__ import annotations

import subprocess


def test_a_repository_gets_a_reversed_password(tmp_path, sensitive):
    repo = tmp_path / "repos" / "leaky.git"
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    blob = f"data:\n  hint: {sensitive.password[::-1]}\n"
    subprocess.run(
        ["git", "--git-dir", str(repo), "hash-object", "-w", "--stdin"],
        input=blob.encode(),
        check=True,
        capture_output=True,
    )
