"""A real OCI registry for tests: Debian's `docker-registry` on 127.0.0.1, storage in a temp dir.

`docker_registry(tmp_path)` yields `host:port`; where the binary is missing (it is in
`.ci/run`'s apt list) the tests using it are skipped, saying so. Charts are pushed with
Helm's registry client (helm-python-sdk), the way a vendor pushes them.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

BINARY = "/usr/bin/docker-registry"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def docker_registry(root: Path):
    binary = shutil.which("docker-registry") or (BINARY if Path(BINARY).exists() else None)
    if binary is None:
        pytest.skip("docker-registry is not installed (apt-get install docker-registry)")
    port = _free_port()
    storage = root / "registry-storage"
    storage.mkdir(parents=True)
    config = root / "registry.yml"
    config.write_text(
        "version: 0.1\n"
        "log:\n  level: error\n  accesslog:\n    disabled: true\n"
        f"storage:\n  filesystem:\n    rootdirectory: {storage}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
    )
    process = subprocess.Popen(
        [binary, "serve", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60  # a cold start on a loaded machine
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("docker-registry did not start") from None
                time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def push_chart(host: str, repository: str, archive: bytes, tmp: Path, name: str, version: str):
    """Push a chart .tgz as oci://host/repository/<name>:<version>."""
    import helm_python

    path = tmp / f"{name}-{version}.tgz"
    path.write_bytes(archive)
    with helm_python.RegistryClient(plain_http=True) as client:
        client.push(path, f"oci://{host}/{repository}", plain_http=True)
