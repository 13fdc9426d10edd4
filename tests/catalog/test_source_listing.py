"""Listing upstream versions from sources served by the test: Helm repo, OCI, git, image registry."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

import pytest

from catalog.sources import SourceError
from catalog.sources.git import list_git
from catalog.sources.helm_repo import list_helm_repo
from catalog.sources.registry import list_image_tags, list_oci_tags
from tests.catalog.registry import docker_registry, push_chart
from tests.packaging.servers import GitRepo, HelmRepo, chart_tgz, serving


def test_helm_repository_versions_newest_first(tmp_path):
    with HelmRepo(tmp_path) as repo:
        for version in ("1.2.0", "1.10.0", "1.9.3", "2.0.0-rc.1"):
            repo.add("web", version)
        repo.add("other", "9.9.9")
        assert list_helm_repo(repo.url, "web").versions == [
            "2.0.0-rc.1",
            "1.10.0",
            "1.9.3",
            "1.2.0",
        ]


def test_helm_repository_errors_in_words(tmp_path):
    with HelmRepo(tmp_path) as repo:
        repo.add("web", "1.0.0")
        with pytest.raises(SourceError, match=r"has no chart 'nope' \(charts: web\)"):
            list_helm_repo(repo.url, "nope")
        with pytest.raises(SourceError, match="not found"):
            list_helm_repo(repo.url + "/missing", "web")
    with pytest.raises(SourceError, match="could not reach"):
        list_helm_repo(repo.url, "web")


def test_oci_tags_from_a_real_registry(tmp_path):
    with docker_registry(tmp_path) as host:
        for version in ("0.1.0", "0.2.0", "0.10.0"):
            push_chart(host, "charts", chart_tgz("web", version), tmp_path, "web", version)
        assert list_oci_tags(f"oci://{host}/charts/web").versions == ["0.10.0", "0.2.0", "0.1.0"]
        with pytest.raises(SourceError, match="not found"):
            list_oci_tags(f"oci://{host}/charts/missing")


def test_git_tags_and_the_tracked_branch_commit(tmp_path):
    with GitRepo(tmp_path) as repo:
        repo.commit({"README": "1"}, tag="v1.0.0")
        repo.commit({"README": "2"}, tag="v1.1.0")
        head = repo.commit({"README": "3"})
        upstream = list_git(repo.url, "main")
        assert upstream.versions == ["v1.1.0", "v1.0.0"]
        assert upstream.commit == head
        assert list_git(repo.url, "v1.0.0").commit != head
        with pytest.raises(SourceError, match="no branch or tag 'nope'"):
            list_git(repo.url, "nope")
    with pytest.raises(SourceError, match="could not reach|not a git repository"):
        list_git(repo.url)


class _TokenRegistry(BaseHTTPRequestHandler):
    """A registry that wants an anonymous Bearer token, like Docker Hub or ghcr.io."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        host = self.headers["Host"]
        if self.path.startswith("/token?"):
            return self._json(200, {"token": "anon"})
        if self.path == "/v2/team/app/tags/list":
            if self.headers.get("Authorization") != "Bearer anon":
                self.send_response(401)
                self.send_header(
                    "WWW-Authenticate",
                    f'Bearer realm="http://{host}/token",service="test",scope="repository:team/app:pull"',
                )
                self.end_headers()
                return None
            return self._json(
                200, {"name": "team/app", "tags": ["1.0", "latest", "1.2.0", "1.10.0"]}
            )
        return self._json(404, {"errors": [{"code": "NAME_UNKNOWN"}]})

    def _json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_image_tags_with_an_anonymous_token():
    with serving(_TokenRegistry) as url:
        host = url.removeprefix("http://")
        tags = list_image_tags(f"{host}/team/app").versions
        assert tags[:2] == ["1.10.0", "1.2.0"]
        assert set(tags) == {"1.0", "latest", "1.2.0", "1.10.0"}
        with pytest.raises(SourceError, match="not found"):
            list_image_tags(f"{host}/team/other")
