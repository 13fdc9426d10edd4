"""Repository maintenance packs loose objects; history, diffs and restore work after it."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from installations import actions
from installations.diffs import diff_renders
from installations.maintenance import maintain_repositories
from installations.models import Render
from installations.repository import AKUA, Repository, WriteLock


def _render_many(installation, change_inputs, count: int) -> list[Render]:
    renders = []
    for i in range(count):
        render = change_inputs(installation, message=f"change {i}")
        assert render.state == Render.State.DEPLOYED
        renders.append(render)
    return renders


def test_after_30_renders_maintain_packs_everything_and_history_still_works(
    installation, base, run_tasks, change_inputs
):
    repo = Repository(installation.repo_path)
    renders = _render_many(installation, change_inputs, 30)
    loose = repo.loose_objects()
    assert loose > 100
    history = [(c.sha, c.tree, c.subject) for c in repo.log()]
    diff_before = diff_renders(renders[0], renders[-1]).files[0].unified

    done = repo.maintain()

    counts = repo.count_objects()
    assert counts["count"] == 0 and counts["packs"] == 1
    assert counts["in-pack"] >= loose
    assert (done.before["count"], done.after["count"]) == (loose, 0)
    assert done.bytes_after < done.bytes_before
    repo.fsck()
    assert [(c.sha, c.tree, c.subject) for c in repo.log()] == history
    assert diff_renders(renders[0], renders[-1]).files[0].unified == diff_before
    assert (repo.path / "packed-refs").is_file()

    restored = run_tasks(actions.restore_render, renders[0], user=base.owner)
    restored.refresh_from_db()
    assert restored.state == Render.State.DEPLOYED
    assert repo.commit().tree == repo.tree_sha(renders[0].commit_sha)
    assert repo.loose_objects() > 0  # new commits are loose again until the next pass
    repo.fsck()
    repo.maintain()
    assert repo.loose_objects() == 0
    repo.fsck()


def test_unreachable_objects_are_packed_not_dropped(tmp_path):
    repo = Repository.create(tmp_path / "r.git")
    repo.commit_files({"a.txt": b"1"}, "Add a", author=AKUA, parent=None)
    orphan = repo.write_blob(b"written by a commit that lost a race")

    repo.maintain()

    assert repo.loose_objects() == 0
    assert repo._out("cat-file", "-p", orphan) == "written by a commit that lost a race"


def test_maintain_waits_for_a_writer_holding_the_lock(tmp_path):
    repo = Repository.create(tmp_path / "r.git")
    repo.commit_files({"a.txt": b"1"}, "Add a", author=AKUA, parent=None)
    finished = threading.Event()
    lock = WriteLock(repo.path)
    lock.acquire()  # what a push holds from its pre-receive hook to its end
    thread = threading.Thread(target=lambda: (repo.maintain(), finished.set()))
    thread.start()
    try:
        assert not finished.wait(0.5)
        assert repo.loose_objects() > 0
    finally:
        lock.release()
    assert finished.wait(30)
    thread.join()
    assert repo.loose_objects() == 0


def test_the_lock_is_re_entrant_in_one_thread(tmp_path):
    repo = Repository.create(tmp_path / "r.git")
    with repo.write_lock():  # a push's render committing inline, in the push's thread
        sha = repo.commit_files({"a.txt": b"1"}, "Add a", author=AKUA, parent=None)
        repo.maintain()
    assert repo.head() == sha
    assert repo.loose_objects() == 0


def test_the_pass_packs_only_repositories_over_the_threshold(installation, base, run_tasks):
    repo = Repository(installation.repo_path)
    loose = repo.loose_objects()

    report = maintain_repositories(min_loose=loose)
    assert (report.checked, report.maintained) == (1, 0)
    assert repo.loose_objects() == loose

    report = maintain_repositories(min_loose=loose - 1)
    assert (report.checked, report.maintained, report.failed) == (1, 1, [])
    assert report.bytes_after < report.bytes_before
    assert repo.loose_objects() == 0


def test_the_command_prints_what_it_did(installation, capsys):
    call_command("maintain_repositories", "--min-loose", "0")
    assert "1 repositories checked, 1 packed" in capsys.readouterr().out
    assert Repository(installation.repo_path).loose_objects() == 0


@pytest.mark.django_db
def test_the_maintenance_runs_daily():
    schedule = Schedule.objects.get(name="installations: maintain repositories")
    assert schedule.func == "installations.tasks.maintain_repositories"
    assert schedule.schedule_type == Schedule.DAILY
