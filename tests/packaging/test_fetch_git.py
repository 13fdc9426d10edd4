"""Fetching a directory from a git repository at a tag or a revision."""

from __future__ import annotations

import os

import pytest

from akua.packaging.digest import tree_digest
from akua.packaging.errors import PackagingError
from akua.packaging.fetch import fetch
from akua.packaging.manifest import Dependency
from tests.packaging.servers import GitRepo, git


def git_dep(url: str, *, tag=None, rev=None, subdir=None) -> Dependency:
    return Dependency(alias="app", kind="git", git=url, tag=tag, rev=rev, subdir=subdir)


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "git")
    repo.first = repo.commit({"chart/Chart.yaml": "name: demo\nversion: 1.0.0\n"}, tag="v1.0.0")
    repo.second = repo.commit(
        {"chart/Chart.yaml": "name: demo\nversion: 2.0.0\n", "README.md": "hi\n"}, tag="v2.0.0"
    )
    with repo:
        yield repo


def test_a_tag_is_fetched_over_http_and_resolved_to_its_commit(repo, tmp_path):
    result = fetch(git_dep(repo.url, tag="v1.0.0"), tmp_path / "out")

    assert result.version == repo.first
    assert (tmp_path / "out" / "chart" / "Chart.yaml").read_text().endswith("1.0.0\n")
    assert not (tmp_path / "out" / "README.md").exists()
    assert not (tmp_path / "out" / ".git").exists()
    assert result.digest == tree_digest(tmp_path / "out")
    assert result.source == f"{repo.url}@v1.0.0"


def test_a_full_revision_is_fetched_over_http(repo, tmp_path):
    result = fetch(git_dep(repo.url, rev=repo.first), tmp_path / "out")

    assert result.version == repo.first
    assert (tmp_path / "out" / "chart" / "Chart.yaml").read_text().endswith("1.0.0\n")


def test_a_short_revision_is_resolved_to_the_full_commit(repo, tmp_path):
    result = fetch(git_dep(repo.file_url, rev=repo.first[:10]), tmp_path / "out")

    assert result.version == repo.first


def test_a_file_url_and_a_subdir_give_just_that_directory(repo, tmp_path):
    result = fetch(git_dep(repo.file_url, tag="v2.0.0", subdir="chart"), tmp_path / "out")

    assert sorted(os.listdir(tmp_path / "out")) == ["Chart.yaml"]
    assert result.version == repo.second
    assert result.source == f"{repo.file_url}@v2.0.0#chart"


def test_the_same_tag_fetched_twice_has_the_same_digest(repo, tmp_path):
    first = fetch(git_dep(repo.url, tag="v2.0.0"), tmp_path / "a")
    second = fetch(git_dep(repo.file_url, tag="v2.0.0"), tmp_path / "b")

    assert first.digest == second.digest


def test_a_missing_tag_lists_the_tags_there_are(repo, tmp_path):
    with pytest.raises(PackagingError) as error:
        fetch(git_dep(repo.url, tag="v3.0.0"), tmp_path / "out")

    assert "no tag 'v3.0.0'" in str(error.value)
    assert "tags: v2.0.0, v1.0.0" in str(error.value)


def test_a_missing_revision_is_named(repo, tmp_path):
    with pytest.raises(PackagingError, match="no commit or branch 'deadbeef'"):
        fetch(git_dep(repo.url, rev="deadbeef"), tmp_path / "out")


def test_a_missing_subdir_is_named(repo, tmp_path):
    with pytest.raises(PackagingError, match="no directory 'nope'"):
        fetch(git_dep(repo.url, tag="v1.0.0", subdir="nope"), tmp_path / "out")


def test_a_subdir_that_climbs_out_of_the_repository_is_refused(repo, tmp_path):
    with pytest.raises(PackagingError, match="relative path inside the repository"):
        fetch(git_dep(repo.url, tag="v1.0.0", subdir="../.."), tmp_path / "out")


def test_a_symlink_pointing_outside_the_tree_is_refused(repo, tmp_path):
    os.symlink("/etc/passwd", repo.work / "chart" / "passwd")
    git("add", "--all", cwd=repo.work)
    git("commit", "--quiet", "-m", "link", cwd=repo.work)
    git("tag", "v3.0.0", cwd=repo.work)
    repo.publish()

    with pytest.raises(PackagingError, match="symlink 'chart/passwd' points outside"):
        fetch(git_dep(repo.url, tag="v3.0.0"), tmp_path / "out")


def test_a_missing_repository_is_reported(repo, tmp_path):
    with pytest.raises(PackagingError, match="no git repository at"):
        fetch(git_dep(repo.url + "/nothing-here.git", tag="v1.0.0"), tmp_path / "out")
