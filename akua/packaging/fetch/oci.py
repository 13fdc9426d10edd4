"""Fetch a chart from an OCI registry (`oci://host/path/chart` + version) with Helm's client.

The pull goes through helm-python-sdk's RegistryClient, so registry logins made with
`helm registry login` apply (credentials never live in akua.toml). Registries on the local
machine (localhost, 127.0.0.1, ::1, *.localhost) are spoken to over plain HTTP, all others over
HTTPS. The client verifies the chart layer against the manifest's digest; the digest Akua records
is the sha256 of that layer, the chart `.tgz`. A pull is bounded by PULL_TIMEOUT seconds.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

from akua.packaging.digest import file_digest
from akua.packaging.errors import PackagingError
from akua.packaging.fetch.base import (
    MAX_CHART_BYTES,
    NETWORK_TIMEOUT,
    FetchResult,
    newest_first,
    unpack_chart,
)
from akua.packaging.manifest import Dependency

PULL_TIMEOUT = 4 * NETWORK_TIMEOUT
_LISTED_VERSIONS = 10
_UNREACHABLE = (
    "connection refused",
    "no such host",
    "dial tcp",
    "i/o timeout",
    "timeout",
    "tls:",
    "x509:",
    "http response to https client",
    "connection reset",
    "network is unreachable",
)


def is_local_registry(host: str) -> bool:
    host = (host or "").lower()
    return host in {"localhost", "127.0.0.1", "::1"} or host.endswith(".localhost")


def fetch_oci(dep: Dependency, dest: Path) -> FetchResult:
    ref = dep.oci
    host = urlsplit(ref).netloc
    plain_http = is_local_registry(urlsplit(ref).hostname)
    workdir = Path(tempfile.mkdtemp(prefix="akua-oci-"))
    try:
        try:
            pull_chart(ref, dep.version, workdir, plain_http=plain_http)
        except PackagingError:
            raise
        except Exception as exc:  # helm_python.HelmError and friends
            raise _explain(exc, ref, dep.version, host, plain_http) from None
        archives = sorted(workdir.glob("*.tgz"))
        if len(archives) != 1:
            raise PackagingError(f"pulling {ref}:{dep.version} gave no chart archive")
        archive = archives[0]
        if archive.stat().st_size > MAX_CHART_BYTES:
            raise PackagingError(
                f"{ref}:{dep.version} is larger than {MAX_CHART_BYTES // 2**20} MiB; refused"
            )
        digest = file_digest(archive)
        unpack_chart(archive.read_bytes(), dest, what=f"{ref}:{dep.version}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return FetchResult(path=Path(dest), version=dep.version, source=dep.source, digest=digest)


def pull_chart(ref: str, version: str, destination: Path, *, plain_http: bool) -> None:
    """Download `ref` at `version` as a `.tgz` into `destination` (the one outbound call)."""
    import helm_python

    def pull():
        with helm_python.RegistryClient(plain_http=plain_http) as client:
            client.pull(ref, version=version, destination=destination, plain_http=plain_http)

    _bounded(pull, f"pulling {ref}:{version}")


def list_tags(ref: str, *, plain_http: bool) -> list[str]:
    import helm_python

    def tags():
        with helm_python.RegistryClient(plain_http=plain_http) as client:
            return client.tags(ref)

    return _bounded(tags, f"listing the versions of {ref}")


def _bounded(call, doing: str):
    """Run a native (GIL-releasing) call in a thread, giving up after PULL_TIMEOUT seconds."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed back to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="akua-oci", daemon=True)
    worker.start()
    worker.join(PULL_TIMEOUT)
    if worker.is_alive():
        raise PackagingError(f"could not finish {doing}: no result within {PULL_TIMEOUT} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _explain(exc: Exception, ref: str, version: str, host: str, plain_http: bool) -> PackagingError:
    message = " ".join(str(exc).split())
    lowered = message.lower()
    if any(marker in lowered for marker in _UNREACHABLE):
        scheme = "http" if plain_http else "https"
        return PackagingError(f"could not reach the registry {host} ({scheme}): {message}")
    if "unauthorized" in lowered or "denied" in lowered or "forbidden" in lowered:
        return PackagingError(
            f"the registry {host} refused access to {ref}: {message}; "
            "log in with `helm registry login` on this machine if it is private"
        )
    if "not found" in lowered or "404" in lowered:
        try:
            tags = newest_first(list_tags(ref, plain_http=plain_http) or [])
        except Exception:
            return PackagingError(f"no chart at {ref} (the registry answered not found)")
        if not tags:
            return PackagingError(f"no chart at {ref} (the registry lists no versions)")
        shown = ", ".join(tags[:_LISTED_VERSIONS])
        more = f" and {len(tags) - _LISTED_VERSIONS} older" if len(tags) > _LISTED_VERSIONS else ""
        return PackagingError(f"{ref} has no version {version}; available: {shown}{more}")
    return PackagingError(f"could not pull {ref}:{version}: {message}")
