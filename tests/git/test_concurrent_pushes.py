"""Two people push to one repository at the same moment: one wins, the other is told to pull."""

from __future__ import annotations

import threading

import pytest

from installations.models import Render
from installations.repository import Repository
from tests.git.conftest import edit_inputs

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_of_two_simultaneous_pushes_wins_and_the_other_is_told_to_pull(
    git, shop, owner_url, tmp_path
):
    clones = []
    for name, value in (("a", "replicas: 3"), ("b", "replicas: 4")):
        clone = git.clone(owner_url, tmp_path / name)
        edit_inputs(clone, "replicas: 2", value)
        git.run("commit", "-qam", f"From {name}", cwd=clone)
        clones.append(clone)

    barrier = threading.Barrier(2)
    results = {}

    def push(clone):
        barrier.wait()
        results[clone.name] = git.run("push", "origin", "main", cwd=clone, check=False)

    threads = [threading.Thread(target=push, args=(c,)) for c in clones]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    outcomes = sorted(p.returncode == 0 for p in results.values())
    assert outcomes == [False, True], {k: v.stderr for k, v in results.items()}
    loser = next(p for p in results.values() if p.returncode != 0)
    # told by the pre-receive check, or by git itself when it fetched after the winner
    assert "run `git pull` and push again" in loser.stderr or "fetch first" in loser.stderr

    winner = next(name for name, p in results.items() if p.returncode == 0)
    repo = Repository(shop.repo_path)
    repo.fsck()
    log = repo.log(limit=3)
    assert log[0].author.name == "Akua" and log[1].subject == f"From {winner}"
    assert shop.renders.filter(trigger=Render.Trigger.PUSH, state="deployed").count() == 1

    # the loser pulls (a merge), pushes again, and it is rendered too
    lost = tmp_path / ("b" if winner == "a" else "a")
    git.run("pull", "-q", "--no-rebase", "-X", "ours", "origin", "main", cwd=lost)
    git.run("push", "-q", "origin", "main", cwd=lost)
    repo.fsck()
    assert shop.renders.filter(trigger=Render.Trigger.PUSH, state="deployed").count() == 2
