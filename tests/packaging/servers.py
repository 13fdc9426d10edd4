"""Test helpers: charts built in memory, and the servers a dependency is fetched from.

Everything listens on 127.0.0.1 on a free port and stops when its `with` block ends:
`HelmRepo` (a classic HTTP Helm repository), `OciRegistry` (the few OCI distribution routes a
chart pull uses) and `GitRepo` (a repository served over git's dumb HTTP protocol).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import subprocess
import tarfile
import threading
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml


def chart_files(name: str, version: str) -> dict[str, bytes]:
    return {
        "Chart.yaml": f"apiVersion: v2\nname: {name}\nversion: {version}\n".encode(),
        "values.yaml": b"replicas: 1\n",
        "templates/configmap.yaml": (
            b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
        ),
    }


def chart_tgz(name: str = "demo", version: str = "1.0.0", files: dict | None = None) -> bytes:
    """A chart archive shaped like `helm package` output (`<name>/...`), byte-for-byte repeatable.

    `files` maps member names (relative to `<name>/`) to bytes, or to a prepared TarInfo for
    links and odd members (its name is used as given).
    """
    files = chart_files(name, version) if files is None else files
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, content in files.items():
            if isinstance(content, tarfile.TarInfo):
                tar.addfile(content)
                continue
            info = tarfile.TarInfo(f"{name}/{path}")
            info.size, info.mtime, info.mode = len(content), 0, 0o644
            tar.addfile(info, io.BytesIO(content))
    return gzip.compress(raw.getvalue(), mtime=0)


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serving(handler_class):
    """Serve `handler_class` on 127.0.0.1 in a thread; yields the base URL `http://127.0.0.1:<port>`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class HelmRepo:
    """A directory with `index.yaml` and `charts/*.tgz`, served over HTTP while running."""

    def __init__(self, root: Path):
        self.root = Path(root)
        (self.root / "charts").mkdir(parents=True, exist_ok=True)
        self.entries: dict[str, list[dict]] = {}
        self.requests: list[str] = []
        self.url: str | None = None
        self._serving = None

    def add(self, name="demo", version="1.0.0", *, archive=None, index_digest=None, url=None):
        archive = chart_tgz(name, version) if archive is None else archive
        filename = f"{name}-{version}.tgz"
        (self.root / "charts" / filename).write_bytes(archive)
        digest = index_digest or sha256(archive).removeprefix("sha256:")
        entry = {"name": name, "version": version, "digest": digest}
        entry["urls"] = [url or f"charts/{filename}"]
        self.entries.setdefault(name, []).append(entry)
        index = {"apiVersion": "v1", "entries": self.entries}
        (self.root / "index.yaml").write_text(yaml.safe_dump(index))
        return archive

    def __enter__(self) -> HelmRepo:
        requests = self.requests

        class Handler(_QuietHandler):
            def do_GET(self):
                requests.append(self.path)
                super().do_GET()

        self._serving = serving(partial(Handler, directory=str(self.root)))
        self.url = self._serving.__enter__()
        return self

    def __exit__(self, *exc):
        self._serving.__exit__(*exc)


class OciRegistry:
    """An in-memory OCI registry answering the reads of a Helm chart pull over plain HTTP."""

    CONFIG_TYPE = "application/vnd.cncf.helm.config.v1+json"
    CHART_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
    MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"

    def __init__(self):
        self.blobs: dict[str, bytes] = {}
        self.manifests: dict[tuple[str, str], bytes] = {}
        self.requests: list[str] = []
        self.url: str | None = None  # oci://127.0.0.1:<port>

    def push(self, repository: str, version: str, archive: bytes) -> str:
        """Store `archive` as `<repository>:<version>`; returns the chart layer digest."""
        name = repository.rsplit("/", 1)[-1]
        config = json.dumps({"apiVersion": "v2", "name": name, "version": version}).encode()
        self.blobs[sha256(config)] = config
        self.blobs[sha256(archive)] = archive
        manifest = {
            "schemaVersion": 2,
            "mediaType": self.MANIFEST_TYPE,
            "config": {
                "mediaType": self.CONFIG_TYPE,
                "digest": sha256(config),
                "size": len(config),
            },
            "layers": [
                {"mediaType": self.CHART_TYPE, "digest": sha256(archive), "size": len(archive)}
            ],
        }
        body = json.dumps(manifest).encode()
        self.manifests[(repository, version)] = body
        self.manifests[(repository, sha256(body))] = body
        return sha256(archive)

    def __enter__(self) -> OciRegistry:
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):
                self.do_GET(head=True)

            def do_GET(self, head=False):
                registry.requests.append(f"{self.command} {self.path}")
                body, media_type = registry._answer(self.path)
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Docker-Content-Digest", sha256(body))
                self.end_headers()
                if not head:
                    self.wfile.write(body)

        self._serving = serving(Handler)
        self.url = self._serving.__enter__().replace("http://", "oci://")
        return self

    def __exit__(self, *exc):
        self._serving.__exit__(*exc)

    def _answer(self, path: str):
        if path == "/v2/":
            return b"{}", "application/json"
        if match := re.fullmatch(r"/v2/(.+)/manifests/([^/]+)", path):
            return self.manifests.get(match.groups()), self.MANIFEST_TYPE
        if match := re.fullmatch(r"/v2/(.+)/blobs/([^/]+)", path):
            return self.blobs.get(match.group(2)), "application/octet-stream"
        if match := re.fullmatch(r"/v2/(.+)/tags/list(\?.*)?", path):
            tags = [v for (r, v) in self.manifests if r == match.group(1) and ":" not in v]
            if tags:
                body = json.dumps({"name": match.group(1), "tags": sorted(tags)}).encode()
                return body, "application/json"
        return None, None


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


class GitRepo:
    """A working repository whose bare copy is served over git's dumb HTTP protocol."""

    def __init__(self, root: Path):
        self.work = Path(root) / "work"
        self.bare = Path(root) / "served.git"
        self.work.mkdir(parents=True)
        git("init", "--quiet", "--initial-branch=main", cwd=self.work)
        self.url: str | None = None

    def commit(self, files: dict[str, str], message: str = "change", tag: str | None = None) -> str:
        for path, content in files.items():
            target = self.work / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
        git("add", "--all", cwd=self.work)
        git("commit", "--quiet", "-m", message, cwd=self.work)
        if tag:
            git("tag", "-a", tag, "-m", tag, cwd=self.work)
        self.publish()
        return git("rev-parse", "HEAD", cwd=self.work)

    def publish(self) -> None:
        """Refresh the served bare copy from the working repository."""
        if not self.bare.exists():
            git("clone", "--quiet", "--bare", str(self.work), str(self.bare), cwd=self.work.parent)
        git("push", "--quiet", "--force", "--tags", str(self.bare), "main", cwd=self.work)
        git("update-server-info", cwd=self.bare)

    @property
    def file_url(self) -> str:
        return self.bare.as_uri()

    def __enter__(self) -> GitRepo:
        self._serving = serving(partial(_QuietHandler, directory=str(self.bare)))
        self.url = self._serving.__enter__()
        return self

    def __exit__(self, *exc):
        self._serving.__exit__(*exc)
