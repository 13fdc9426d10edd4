"""Fault injection: an unreachable or slow API server, a wrong token; request counting; reset."""

from __future__ import annotations

import time

import pytest
import urllib3
from kubernetes import client
from kubernetes.client.exceptions import ApiException


def test_an_unreachable_cluster_refuses_connections_then_comes_back(k8s_emulator):
    core = client.CoreV1Api(k8s_emulator.api_client())
    assert core.list_namespace().items  # a pooled keep-alive connection is open now
    k8s_emulator.set_unreachable(True)
    with pytest.raises(urllib3.exceptions.MaxRetryError):
        core.list_namespace()
    with pytest.raises(urllib3.exceptions.MaxRetryError):
        client.CoreV1Api(k8s_emulator.api_client()).list_namespace()
    k8s_emulator.set_unreachable(False)
    assert core.list_namespace().items


def test_latency_makes_a_short_timeout_fail(k8s_emulator):
    core = client.CoreV1Api(k8s_emulator.api_client())
    k8s_emulator.set_latency(0.3)
    with pytest.raises(urllib3.exceptions.MaxRetryError) as raised:
        core.list_namespace(_request_timeout=0.05)
    assert isinstance(raised.value.reason, urllib3.exceptions.ReadTimeoutError)
    started = time.monotonic()
    core.list_namespace()
    assert time.monotonic() - started >= 0.3
    k8s_emulator.set_latency(0)


def test_a_wrong_token_is_401_and_no_token_403(k8s_emulator):
    k8s_emulator.token = "rotated"
    anonymous = k8s_emulator.configuration()
    anonymous.api_key = {}
    with pytest.raises(ApiException) as raised:
        client.CoreV1Api(client.ApiClient(anonymous)).list_namespace()
    assert raised.value.status == 403
    stale = k8s_emulator.configuration()
    stale.api_key = {"BearerToken": "old"}
    stale.api_key_prefix = {"BearerToken": "Bearer"}
    with pytest.raises(ApiException) as raised:
        client.CoreV1Api(client.ApiClient(stale)).list_namespace()
    assert raised.value.status == 401
    assert client.CoreV1Api(k8s_emulator.api_client()).list_namespace().items


def test_requests_are_counted_by_verb_and_path(k8s_emulator):
    core = client.CoreV1Api(k8s_emulator.api_client())
    core.create_namespaced_config_map("default", {"metadata": {"name": "c"}})
    core.read_namespaced_config_map("c", "default")
    core.read_namespaced_config_map("c", "default")
    core.list_namespaced_config_map("default")
    assert k8s_emulator.requests[("get", "/api/v1/namespaces/default/configmaps/c")] == 2
    assert k8s_emulator.requests[("list", "/api/v1/namespaces/default/configmaps")] == 1
    assert k8s_emulator.request_count(verb="create") == 1
    assert k8s_emulator.request_count(path_prefix="/api/v1/namespaces/default/configmaps") == 4


def test_reset_forgets_objects_faults_and_counts(k8s_emulator):
    core = client.CoreV1Api(k8s_emulator.api_client())
    core.create_namespace({"metadata": {"name": "shop"}})
    k8s_emulator.set_latency(5)
    k8s_emulator.set_unreachable(True)
    k8s_emulator.reset()
    assert k8s_emulator.request_count() == 0
    assert "shop" not in {n.metadata.name for n in core.list_namespace().items}
    assert len(core.list_node().items) == 3
