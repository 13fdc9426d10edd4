"""A push whose server process is killed leaves a quarantine, a half-written pack and
perhaps a ref lock behind; the daily maintenance sweeps them once they are old enough, and
the repository takes pushes again."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from installations import tasks
from installations.repository import Repository
from tests.git.conftest import edit_inputs

pytestmark = pytest.mark.django_db(transaction=True)

TWO_HOURS_AGO = time.time() - 2 * 3600


def _pkt(data: bytes) -> bytes:
    return f"{len(data) + 4:04x}".encode() + data


def _kill_a_push_midway(repo: Repository, clone, git) -> None:
    """Run the real `git receive-pack` on the repository (what http-backend runs for a
    push), send it half a pack, and SIGKILL it while it is receiving."""
    old = repo.head()
    new = git.run("rev-parse", "HEAD", cwd=clone).stdout.strip()
    pack = subprocess.run(
        ["git", "pack-objects", "--stdout", "--revs", "-q"],
        input=f"{new}\n^{old}\n".encode(),
        cwd=clone,
        env=git.env(),
        capture_output=True,
        check=True,
    ).stdout
    proc = subprocess.Popen(
        ["git", "-c", "receive.unpackLimit=1", "receive-pack", str(repo.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**git.env(), "GIT_CONFIG_NOSYSTEM": "1"},
        start_new_session=True,
    )
    try:
        proc.stdin.write(_pkt(f"{old} {new} refs/heads/main\0report-status\n".encode()))
        proc.stdin.write(b"0000" + pack[: len(pack) // 2])
        proc.stdin.flush()
        deadline = time.monotonic() + 20
        while not list((repo.path / "objects").glob("tmp_objdir-*/pack/tmp_pack_*")):
            assert time.monotonic() < deadline, "receive-pack never started receiving"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _age(path) -> None:
    for p in [path, *(path.rglob("*") if path.is_dir() else [])]:
        os.utime(p, (TWO_HOURS_AGO, TWO_HOURS_AGO), follow_symlinks=False)


def test_the_daily_maintenance_sweeps_what_a_killed_push_left(git, shop, owner_url, tmp_path):
    repo = Repository(shop.repo_path)
    clone = git.clone(owner_url, tmp_path / "clone")
    (clone / "notes.bin").write_bytes(os.urandom(200_000))
    git.run("add", "notes.bin", cwd=clone)
    git.run("commit", "-qm", "Notes", cwd=clone)
    _kill_a_push_midway(repo, clone, git)
    # git held the branch's lock when it was killed (it writes this file, then renames it)
    (repo.path / "refs" / "heads" / "main.lock").write_text(repo.head() + "\n")
    quarantine = list((repo.path / "objects").glob("tmp_objdir-*"))
    assert len(quarantine) == 1

    edit_inputs(clone, "replicas: 2", "replicas: 3")
    git.run("commit", "-qam", "Three", cwd=clone)
    refused = git.run("push", "origin", "main", cwd=clone, check=False)
    assert refused.returncode != 0 and "main.lock" in refused.stderr

    report = tasks.maintain_repositories()  # too young to be leftovers: kept
    assert report["swept"] == 0 and quarantine[0].exists()

    for leftover in [*quarantine, repo.path / "refs" / "heads" / "main.lock"]:
        _age(leftover)
    report = tasks.maintain_repositories()
    assert report["swept"] == 2 and report["failed"] == []
    assert not list((repo.path / "objects").glob("tmp_objdir-*"))
    assert not (repo.path / "refs" / "heads" / "main.lock").exists()
    assert (repo.path / "akua-push.lock").exists()  # the write lock's file stays

    git.run("push", "-q", "origin", "main", cwd=clone)
    assert "replicas: 3" in repo.read_file("inputs.yaml").decode()
    repo.fsck()
