"""The bare repository: plumbing commits, compare-and-swap on main, reading trees."""

from __future__ import annotations

import subprocess

import pytest

from installations.repository import AKUA, ConflictError, Repository, RepositoryError, Signature

ANN = Signature("Ann Example", "ann@example.com")


@pytest.fixture
def repo(tmp_path):
    return Repository.create(tmp_path / "r.git")


def test_a_new_repository_is_bare_and_empty_on_main(repo):
    assert repo.head() is None
    out = subprocess.run(
        ["git", "--git-dir", str(repo.path), "symbolic-ref", "HEAD"], capture_output=True, text=True
    )
    assert out.stdout.strip() == "refs/heads/main"
    assert (
        subprocess.run(
            ["git", "--git-dir", str(repo.path), "rev-parse", "--is-bare-repository"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        == "true"
    )


def test_commits_carry_the_author_and_akua_as_committer(repo):
    sha = repo.commit_files({"a.txt": b"1"}, "Add a", author=ANN, parent=None)
    commit = repo.commit(sha)
    assert (commit.author, commit.committer, commit.subject) == (ANN, AKUA, "Add a")
    assert repo.read_file("a.txt") == b"1"
    assert repo.read_file("missing.txt") is None


def test_clear_replaces_a_directory_and_unchanged_trees_make_no_commit(repo):
    c1 = repo.commit_files(
        {"manifests/1.yaml": b"a", "manifests/2.yaml": b"b", "x": b"x"},
        "one",
        author=ANN,
        parent=None,
    )
    c2 = repo.commit_files(
        {"manifests/3.yaml": b"c"}, "two", author=ANN, parent=c1, clear=("manifests",)
    )
    assert sorted(repo.files(c2)) == ["manifests/3.yaml", "x"]
    assert repo.commit_files({"manifests/3.yaml": b"c"}, "noop", author=ANN, parent=c2) is None
    assert repo.head() == c2


def test_a_writer_from_an_old_head_gets_a_conflict_and_main_keeps_the_winner(repo):
    c1 = repo.commit_files({"a": b"1"}, "one", author=ANN, parent=None)
    c2 = repo.commit_files({"a": b"2"}, "two", author=ANN, parent=c1)
    with pytest.raises(ConflictError) as exc:
        repo.commit_files({"a": b"3"}, "three", author=ANN, parent=c1)
    assert (exc.value.expected, exc.value.actual) == (c1, c2)
    assert repo.head() == c2
    with pytest.raises(ConflictError):
        repo.commit_files({"b": b"1"}, "again from nothing", author=ANN, parent=None)
    repo.fsck()


def test_extract_tree_writes_files_and_can_leave_some_out(repo, tmp_path):
    sha = repo.commit_files(
        {"akua.toml": b"t", "manifests/1.yaml": b"m", "upstream/c/Chart.yaml": b"c"},
        "x",
        author=ANN,
        parent=None,
    )
    out = repo.extract_tree(sha, tmp_path / "out", exclude=("manifests",))
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "akua.toml",
        "upstream/c/Chart.yaml",
    ]


def test_paths_that_escape_are_refused(repo):
    for bad in ("../x", "/etc/passwd", "a/../../b", ".git/config", "a/.GIT/config", "n" * 256):
        with pytest.raises(RepositoryError):
            repo.commit_files({bad: b"x"}, "bad", author=ANN, parent=None)
    assert repo.head() is None
    repo.commit_files({"n" * 255: b"x"}, "longest name", author=ANN, parent=None)
    repo.fsck()


def test_creating_over_an_existing_repository_is_refused(repo):
    with pytest.raises(RepositoryError):
        Repository.create(repo.path)
