"""clusters.client: why a cluster did not answer, in words; 401/403 in words."""

from __future__ import annotations

import socket
import ssl

import urllib3

from clusters.client import ApiError, KubeClient, Unreachable, describe_unreachable

SERVER = "https://k8s.example:6443"


def _wrapped(reason: BaseException) -> urllib3.exceptions.MaxRetryError:
    return urllib3.exceptions.MaxRetryError(None, "/version", reason)


def test_dns():
    exc = _wrapped(
        urllib3.exceptions.NameResolutionError(
            "k8s.example", None, socket.gaierror(-2, "Name or service not known")
        )
    )
    assert (
        describe_unreachable(exc, SERVER)
        == "DNS failure: the name k8s.example could not be resolved"
    )


def test_tls():
    exc = _wrapped(
        urllib3.exceptions.SSLError(ssl.SSLCertVerificationError(1, "certificate verify failed"))
    )
    assert describe_unreachable(exc, SERVER).startswith("TLS error:")


def test_refused():
    exc = _wrapped(
        urllib3.exceptions.NewConnectionError(
            None, "Failed to establish a new connection: [Errno 111] Connection refused"
        )
    )
    assert describe_unreachable(exc, SERVER).startswith("Connection refused by k8s.example")


def test_timeouts():
    connect = _wrapped(urllib3.exceptions.ConnectTimeoutError(None, "timed out"))
    read = urllib3.exceptions.ReadTimeoutError(None, "/version", "Read timed out.")
    assert describe_unreachable(connect, SERVER) == f"Timed out connecting to {SERVER}"
    assert describe_unreachable(read, SERVER) == f"Timed out waiting for {SERVER} to answer"


def test_401_and_403_in_words():
    assert "rejected the credentials" in ApiError(401, "Unauthorized", "Unauthorized").words
    assert "not allowed" in ApiError(403, "Forbidden", "nodes is forbidden").words


def test_a_slow_cluster_times_out(k8s_emulator):
    client = KubeClient.from_kubeconfig(k8s_emulator.kubeconfig(), timeout=(0.5, 0.2))
    k8s_emulator.set_latency(0.5)
    try:
        client.get_json("/version")
    except Unreachable as e:
        assert e.reason.startswith("Timed out waiting")
    else:
        raise AssertionError("no timeout")
