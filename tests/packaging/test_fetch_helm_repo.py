"""Fetching a chart from a classic HTTP Helm repository (index.yaml + .tgz)."""

from __future__ import annotations

import socket

import pytest
import yaml

from akua.packaging.errors import PackagingError
from akua.packaging.fetch import fetch
from akua.packaging.manifest import Dependency
from tests.packaging.servers import HelmRepo, chart_tgz, sha256


def helm_dep(repo_url: str, chart="demo", version="1.0.0") -> Dependency:
    return Dependency(alias="app", kind="helm", repo=repo_url, chart=chart, version=version)


@pytest.fixture
def repo(tmp_path):
    repo = HelmRepo(tmp_path / "repo")
    with repo:
        yield repo


def test_it_fetches_the_exact_version_with_the_chart_root_at_dest(repo, tmp_path):
    repo.add("demo", "1.0.0")
    archive = repo.add("demo", "1.1.0")

    result = fetch(helm_dep(repo.url, version="1.1.0"), tmp_path / "out")

    assert result.path == tmp_path / "out"
    assert result.version == "1.1.0"
    assert result.source == f"helm+{repo.url}#demo"  # as Akua's own tool records it
    assert result.digest == sha256(archive)
    chart = yaml.safe_load((tmp_path / "out" / "Chart.yaml").read_text())
    assert chart["version"] == "1.1.0"
    assert (tmp_path / "out" / "templates" / "configmap.yaml").is_file()
    assert "/charts/demo-1.1.0.tgz" in repo.requests


def test_it_follows_absolute_chart_urls_from_the_index(repo, tmp_path):
    with HelmRepo(tmp_path / "elsewhere") as mirror:
        archive = mirror.add("demo", "2.0.0")
        repo.add("demo", "2.0.0", archive=archive, url=f"{mirror.url}/charts/demo-2.0.0.tgz")

        result = fetch(helm_dep(repo.url + "/", version="2.0.0"), tmp_path / "out")

    assert result.digest == sha256(archive)
    assert mirror.requests == ["/charts/demo-2.0.0.tgz"]


def test_a_missing_version_lists_the_available_ones_newest_first(repo, tmp_path):
    for version in ("1.2.0", "1.10.0", "1.9.1", "2.0.0-rc.1"):
        repo.add("demo", version)

    with pytest.raises(PackagingError) as error:
        fetch(helm_dep(repo.url, version="3.0.0"), tmp_path / "out")

    assert "dependency 'app'" in str(error.value)
    assert "no version 3.0.0" in str(error.value)
    assert "available: 2.0.0-rc.1, 1.10.0, 1.9.1, 1.2.0" in str(error.value)


def test_an_unknown_chart_is_named(repo, tmp_path):
    repo.add("demo", "1.0.0")

    with pytest.raises(PackagingError, match="chart 'other' is not in the repository"):
        fetch(helm_dep(repo.url, chart="other"), tmp_path / "out")


def test_a_download_that_does_not_match_the_index_digest_is_refused(repo, tmp_path):
    repo.add("demo", "1.0.0", index_digest="0" * 64)

    with pytest.raises(PackagingError, match="digest mismatch.*index says sha256:0000"):
        fetch(helm_dep(repo.url), tmp_path / "out")

    assert not (tmp_path / "out" / "Chart.yaml").exists()


def test_a_repository_without_an_index_reports_the_http_status(repo, tmp_path):
    with pytest.raises(PackagingError, match=r"answered HTTP 404"):
        fetch(helm_dep(repo.url), tmp_path / "out")


def test_an_unreachable_repository_says_it_could_not_reach_the_host(tmp_path):
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    with pytest.raises(PackagingError) as error:
        fetch(helm_dep(f"http://127.0.0.1:{port}"), tmp_path / "out")

    assert f"could not reach 127.0.0.1:{port}" in str(error.value)
    assert "\n" not in str(error.value)


def test_file_repository_urls_work(tmp_path):
    repo = HelmRepo(tmp_path / "repo")
    archive = repo.add("demo", "1.0.0")

    result = fetch(helm_dep(repo.root.as_uri()), tmp_path / "out")

    assert result.digest == sha256(archive)
    assert (tmp_path / "out" / "Chart.yaml").is_file()


def test_a_corrupt_archive_is_a_bad_archive(repo, tmp_path):
    repo.add("demo", "1.0.0", archive=b"not a tarball")

    with pytest.raises(PackagingError, match="bad archive"):
        fetch(helm_dep(repo.url), tmp_path / "out")


def test_an_archive_without_a_chart_directory_is_a_bad_archive(repo, tmp_path):
    repo.add("demo", "1.0.0", archive=chart_tgz("demo", "1.0.0", files={"README.md": b"hi"}))

    with pytest.raises(PackagingError, match="no Chart.yaml"):
        fetch(helm_dep(repo.url), tmp_path / "out")


def test_a_repository_that_never_answers_times_out(tmp_path, monkeypatch):
    monkeypatch.setattr("akua.packaging.fetch.helm_repo.NETWORK_TIMEOUT", 0.3)
    with socket.socket() as silent:  # accepts connections into its backlog, never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]

        with pytest.raises(PackagingError, match="no answer within 0.3 s"):
            fetch(helm_dep(f"http://127.0.0.1:{port}"), tmp_path / "out")
