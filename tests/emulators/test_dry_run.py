"""`?dryRun=All` answers what a write would store and stores nothing, for every verb."""

from __future__ import annotations

import json

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException


@pytest.fixture
def core(k8s_emulator):
    k8s_emulator.controller.stop()
    return client.CoreV1Api(k8s_emulator.api_client())


def configmap(name="c", data=None):
    return {"metadata": {"name": name}, "data": data or {"a": "1"}}


def test_a_dry_run_create_answers_the_object_and_stores_nothing(core, k8s_emulator):
    before = k8s_emulator.store.resource_version
    made = core.create_namespaced_config_map("default", configmap(), dry_run="All")
    assert made.metadata.name == "c" and made.metadata.uid and made.data == {"a": "1"}
    assert made.metadata.resource_version is None
    assert k8s_emulator.get("ConfigMap", "c", "default") is None
    assert k8s_emulator.store.resource_version == before


def test_dry_run_patch_apply_replace_and_delete_change_nothing(core, k8s_emulator):
    core.create_namespaced_config_map("default", configmap())
    live = k8s_emulator.get("ConfigMap", "c", "default")
    patched = core.patch_namespaced_config_map("c", "default", {"data": {"a": "2"}}, dry_run="All")
    assert patched.data == {"a": "2"}
    replaced = core.replace_namespaced_config_map(
        "c", "default", configmap(data={"b": "3"}), dry_run="All"
    )
    assert replaced.data == {"b": "3"}
    configmaps = k8s_emulator.dynamic_client().resources.get(api_version="v1", kind="ConfigMap")
    applied = configmaps.server_side_apply(
        body={"apiVersion": "v1", "kind": "ConfigMap", **configmap(data={"a": "4"})},
        namespace="default",
        field_manager="other",
        force_conflicts=True,
        dry_run="All",
    )
    assert applied.data.to_dict() == {"a": "4"}
    core.delete_namespaced_config_map("c", "default", dry_run="All")
    core.delete_collection_namespaced_config_map("default", dry_run="All")
    assert k8s_emulator.get("ConfigMap", "c", "default") == live


def test_a_dry_run_still_refuses_what_the_write_would_refuse(core):
    core.create_namespaced_config_map("default", configmap())
    with pytest.raises(ApiException) as raised:
        core.create_namespaced_config_map("default", configmap(), dry_run="All")
    assert raised.value.status == 409
    with pytest.raises(ApiException) as raised:
        core.create_namespaced_config_map("nowhere", configmap("d"), dry_run="All")
    assert raised.value.status == 404


def test_a_dry_run_apply_reports_the_conflict_a_real_apply_would_meet(k8s_emulator):
    configmaps = k8s_emulator.dynamic_client().resources.get(api_version="v1", kind="ConfigMap")
    body = {"apiVersion": "v1", "kind": "ConfigMap", **configmap()}
    configmaps.server_side_apply(body=body, namespace="default", field_manager="akua")
    client.CoreV1Api(k8s_emulator.api_client()).patch_namespaced_config_map(
        "c", "default", {"data": {"a": "changed"}}, field_manager="kubectl-edit"
    )
    with pytest.raises(ApiException) as raised:
        configmaps.server_side_apply(
            body=body, namespace="default", field_manager="akua", dry_run="All"
        )
    assert raised.value.status == 409
    assert 'conflict with "kubectl-edit"' in json.loads(raised.value.body)["message"]
    assert k8s_emulator.get("ConfigMap", "c", "default")["data"] == {"a": "changed"}


def test_a_dry_run_delete_of_a_namespace_leaves_it_active(core, k8s_emulator):
    core.create_namespace({"metadata": {"name": "shop"}})
    core.delete_namespace("shop", dry_run="All")
    assert k8s_emulator.get("Namespace", "shop")["status"]["phase"] == "Active"


def test_an_unknown_dry_run_value_is_a_400(core):
    with pytest.raises(ApiException) as raised:
        core.create_namespaced_config_map("default", configmap(), dry_run="Some")
    assert raised.value.status == 400
