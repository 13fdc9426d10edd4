"""Two people edit the same installation: the second gets a conflict, nothing is lost."""

from __future__ import annotations

import threading

import pytest

from installations import actions
from installations.repository import AKUA, ConflictError, Repository


def test_the_second_edit_gets_a_conflict_and_the_first_is_intact(installation, base, run_tasks):
    repo = Repository(installation.repo_path)
    inputs, base_sha = actions.current_inputs(installation)  # both open the form at the same head

    run_tasks(
        actions.update_inputs,
        installation,
        {**inputs, "message": "from owner"},
        user=base.owner,
        base_sha=base_sha,
    )
    with pytest.raises(ConflictError) as exc:
        actions.update_inputs(
            installation, {**inputs, "message": "from member"}, user=base.member, base_sha=base_sha
        )

    message = str(exc.value)
    assert "Someone else changed this installation" in message
    assert "your values are still in the form" in message
    assert exc.value.expected == base_sha
    assert exc.value.actual == repo.head()
    assert actions.current_inputs(installation)[0]["message"] == "from owner"
    subjects = [c.subject for c in repo.log()]
    assert "Update inputs: message" in subjects
    assert subjects.count("Update inputs: message") == 1
    repo.fsck()


def test_racing_writers_never_lose_a_commit(installation):
    """Many threads commit on top of the same head at once: exactly one wins, git stays sound."""
    repo = Repository(installation.repo_path)
    parent = repo.head()
    results: list[str] = []
    barrier = threading.Barrier(8)

    def write(i: int) -> None:
        barrier.wait()
        try:
            repo.commit_files({f"notes/{i}.txt": b"x"}, f"note {i}", author=AKUA, parent=parent)
            results.append("ok")
        except ConflictError:
            results.append("conflict")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1
    assert results.count("conflict") == 7
    assert repo.commit().parents == (parent,)
    repo.fsck()
