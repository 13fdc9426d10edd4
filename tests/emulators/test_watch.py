"""Watches, read with the `kubernetes` client's own Watch: initial state, changes after a
resourceVersion, selectors, 410 Expired for a version the log no longer keeps, and the
stream ending when the emulator goes away."""

from __future__ import annotations

import threading

import pytest
from kubernetes import client, watch
from kubernetes.client.exceptions import ApiException

from emulators.kubernetes import eventually
from tests.kube_objects import deployment


@pytest.fixture
def core(k8s_emulator):
    return client.CoreV1Api(k8s_emulator.api_client())


def configmap(name, labels=None, data=None):
    return {"metadata": {"name": name, "labels": labels or {}}, "data": data or {}}


def _events(core, timeout=1, **kw):
    return [
        (e["type"], e["object"].metadata.name)
        for e in watch.Watch().stream(
            core.list_namespaced_config_map, "default", timeout_seconds=timeout, **kw
        )
    ]


def test_a_watch_without_a_version_starts_with_what_exists(core):
    core.create_namespaced_config_map("default", configmap("a"))
    assert _events(core) == [("ADDED", "a")]


def test_a_watch_from_a_list_sees_every_change_after_it(core):
    core.create_namespaced_config_map("default", configmap("a"))
    version = core.list_namespaced_config_map("default").metadata.resource_version
    core.patch_namespaced_config_map("a", "default", {"data": {"k": "v"}})
    core.create_namespaced_config_map("default", configmap("b"))
    core.delete_namespaced_config_map("a", "default")
    assert _events(core, resource_version=version) == [
        ("MODIFIED", "a"),
        ("ADDED", "b"),
        ("DELETED", "a"),
    ]


def test_events_arrive_while_the_watch_is_open(core, k8s_emulator):
    version = core.list_namespaced_config_map("default").metadata.resource_version

    def create_once_watching():
        eventually(lambda: k8s_emulator.request_count("watch"), what="the watch to open")
        core.create_namespaced_config_map("default", configmap("late"))

    later = threading.Thread(target=create_once_watching)
    later.start()
    try:
        assert _events(core, timeout=5, resource_version=version) == [("ADDED", "late")]
    finally:
        later.join()


def test_selectors_filter_events(core):
    version = core.list_namespaced_config_map("default").metadata.resource_version
    core.create_namespaced_config_map("default", configmap("a", {"tier": "web"}))
    core.create_namespaced_config_map("default", configmap("b", {"tier": "db"}))
    assert _events(core, resource_version=version, label_selector="tier=db") == [("ADDED", "b")]
    assert _events(core, resource_version=version, field_selector="metadata.name=a") == [
        ("ADDED", "a")
    ]


def test_a_version_older_than_the_log_is_410_expired(core, k8s_emulator):
    version = core.list_namespaced_config_map("default").metadata.resource_version
    k8s_emulator.store.events.capacity = 3
    for i in range(5):
        core.create_namespaced_config_map("default", configmap(f"c{i}"))
    with pytest.raises(ApiException) as raised:  # the client raises the ERROR event's status
        _events(core, resource_version=version)
    assert raised.value.status == 410
    assert "too old resource version" in str(raised.value)


def test_a_watch_of_deployments_follows_the_rollout(k8s_emulator):
    apps = client.AppsV1Api(k8s_emulator.api_client())
    version = apps.list_namespaced_deployment("default").metadata.resource_version
    apps.create_namespaced_deployment("default", deployment())
    stream = watch.Watch().stream(
        apps.list_namespaced_deployment, "default", resource_version=version, timeout_seconds=5
    )
    for event in stream:
        if (event["object"].status.available_replicas or 0) == 1:
            break
    else:
        pytest.fail("the watch ended before the Deployment became available")


def test_an_open_watch_ends_when_the_emulator_becomes_unreachable(core, k8s_emulator):
    version = core.list_namespaced_config_map("default").metadata.resource_version

    def cut_once_watching():
        eventually(lambda: k8s_emulator.request_count("watch"), what="the watch to open")
        k8s_emulator.set_unreachable()

    cutter = threading.Thread(target=cut_once_watching)
    cutter.start()
    try:
        with pytest.raises(Exception):  # noqa: B017 - the connection is dropped mid-stream
            list(
                watch.Watch().stream(
                    core.list_namespaced_config_map,
                    "default",
                    resource_version=version,
                    timeout_seconds=10,
                    _request_timeout=5,
                )
            )
    finally:
        cutter.join()
    assert k8s_emulator.unreachable and k8s_emulator.request_count("watch") == 1
