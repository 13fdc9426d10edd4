"""Get, list with label selectors, create, replace, delete and cascades, with the typed client."""

from __future__ import annotations

import json
import ssl
import urllib.request

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from emulators.kubernetes import eventually
from tests.kube_objects import deployment


@pytest.fixture
def core(k8s_emulator):
    return client.CoreV1Api(k8s_emulator.api_client())


def configmap(name, labels, namespace="default"):
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace, "labels": labels},
    }


def test_create_get_replace_delete(core):
    created = core.create_namespaced_config_map(
        "default", configmap("c", {"a": "1"}) | {"data": {"k": "v"}}
    )
    assert created.metadata.uid
    assert core.read_namespaced_config_map("c", "default").data == {"k": "v"}
    created.data = {"k": "w"}
    replaced = core.replace_namespaced_config_map("c", "default", created)
    assert replaced.data == {"k": "w"}
    created.data = {"k": "stale"}
    with pytest.raises(ApiException) as raised:  # the resourceVersion is stale now
        core.replace_namespaced_config_map("c", "default", created)
    assert raised.value.status == 409
    core.delete_namespaced_config_map("c", "default")
    with pytest.raises(ApiException) as raised:
        core.read_namespaced_config_map("c", "default")
    status = json.loads(raised.value.body)
    assert (raised.value.status, status["kind"], status["reason"]) == (404, "Status", "NotFound")
    assert status["message"] == 'configmaps "c" not found'


def test_creating_twice_is_already_exists(core):
    core.create_namespaced_config_map("default", configmap("c", {}))
    with pytest.raises(ApiException) as raised:
        core.create_namespaced_config_map("default", configmap("c", {}))
    assert raised.value.status == 409
    assert json.loads(raised.value.body)["reason"] == "AlreadyExists"


def test_an_invalid_name_is_422(core):
    with pytest.raises(ApiException) as raised:
        core.create_namespaced_config_map("default", configmap("Not_Valid", {}))
    status = json.loads(raised.value.body)
    assert (raised.value.status, status["reason"]) == (422, "Invalid")
    assert status["details"]["causes"][0]["field"] == "metadata.name"


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("tier=web", ["a", "b"]),
        ("tier==web,env=prod", ["a"]),
        ("tier!=web", ["c", "d"]),
        ("env in (prod, staging)", ["a", "b", "c"]),
        ("env notin (prod)", ["b", "d"]),
        ("env", ["a", "b", "c"]),
        ("!env", ["d"]),
        ("tier=web,env notin (staging)", ["a"]),
    ],
)
def test_label_selectors(core, selector, expected):
    for name, labels in {
        "a": {"tier": "web", "env": "prod"},
        "b": {"tier": "web", "env": "staging"},
        "c": {"tier": "db", "env": "prod"},
        "d": {"tier": "db"},
    }.items():
        core.create_namespaced_config_map("default", configmap(name, labels))
    items = core.list_namespaced_config_map("default", label_selector=selector).items
    assert [i.metadata.name for i in items] == expected


def test_list_across_namespaces_and_by_field(core):
    core.create_namespace({"metadata": {"name": "shop"}})
    core.create_namespaced_config_map("default", configmap("c", {}))
    core.create_namespaced_config_map("shop", configmap("c", {}, namespace="shop"))
    everywhere = core.list_config_map_for_all_namespaces().items
    assert [(i.metadata.namespace, i.metadata.name) for i in everywhere] == [
        ("default", "c"),
        ("shop", "c"),
    ]
    one = core.list_config_map_for_all_namespaces(field_selector="metadata.namespace=shop").items
    assert [i.metadata.namespace for i in one] == ["shop"]


def test_deleting_a_namespace_deletes_what_is_in_it(core, k8s_emulator):
    core.create_namespace({"metadata": {"name": "shop"}})
    core.create_namespaced_config_map("shop", configmap("c", {}, namespace="shop"))
    core.create_namespaced_service(
        "shop", {"metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
    )
    core.create_namespaced_config_map("default", configmap("keep", {}))
    core.delete_namespace("shop")
    assert k8s_emulator.get("Namespace", "shop")["status"]["phase"] == "Terminating"
    with pytest.raises(ApiException) as refused:
        core.create_namespaced_config_map("shop", configmap("late", {}, namespace="shop"))
    assert refused.value.status == 403 and "being terminated" in refused.value.body
    eventually(lambda: k8s_emulator.get("Namespace", "shop") is None, what="namespace gone")
    assert k8s_emulator.objects("ConfigMap", "shop") == []
    assert k8s_emulator.objects("Service", "shop") == []
    assert [c["metadata"]["name"] for c in k8s_emulator.objects("ConfigMap")] == ["keep"]
    assert "shop" not in {n.metadata.name for n in core.list_namespace().items}


def test_deleting_a_deployment_collects_its_replicasets_and_pods(k8s_emulator):
    apps = client.AppsV1Api(k8s_emulator.api_client())
    apps.create_namespaced_deployment("default", deployment(image="nginx"))
    eventually(lambda: k8s_emulator.objects("Pod", "default"), what="pods")
    apps.delete_namespaced_deployment("web", "default")
    assert k8s_emulator.objects("ReplicaSet") == []
    assert k8s_emulator.objects("Pod") == []


def test_finalizers_hold_a_deletion_until_removed(core, k8s_emulator):
    core.create_namespaced_config_map(
        "default",
        configmap("c", {}) | {"metadata": {"name": "c", "finalizers": ["example.com/hold"]}},
    )
    core.delete_namespaced_config_map("c", "default")
    held = core.read_namespaced_config_map("c", "default")
    assert held.metadata.deletion_timestamp is not None
    core.patch_namespaced_config_map("c", "default", {"metadata": {"finalizers": None}})
    assert k8s_emulator.get("ConfigMap", "c", "default") is None


def test_delete_collection_by_label(core):
    core.create_namespaced_config_map("default", configmap("a", {"akua.dev/installation": "in_1"}))
    core.create_namespaced_config_map("default", configmap("b", {"akua.dev/installation": "in_2"}))
    core.delete_collection_namespaced_config_map(
        "default", label_selector="akua.dev/installation=in_1"
    )
    assert [c.metadata.name for c in core.list_namespaced_config_map("default").items] == ["b"]


def test_built_in_list_items_carry_no_kind(k8s_emulator, core):
    core.create_namespaced_config_map("default", configmap("a", {}))
    request = urllib.request.Request(
        f"{k8s_emulator.url}/api/v1/namespaces/default/configmaps",
        headers={"Authorization": f"Bearer {k8s_emulator.token}"},
    )
    tls = ssl.create_default_context(cadata=k8s_emulator.ca_pem.decode())
    with urllib.request.urlopen(request, context=tls) as response:
        raw = json.load(response)
    assert raw["kind"] == "ConfigMapList"
    assert "kind" not in raw["items"][0]


def test_rbac_objects_take_any_path_segment_as_name(k8s_emulator):
    """Kubernetes validates Role/ClusterRole/…Binding names as path segments, not DNS names:
    charts name them `app:leaderelection` (as Kubernetes names `system:controller:…`)."""
    rbac = client.RbacAuthorizationV1Api(k8s_emulator.api_client())
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "app-webhook:dynamic-serving"},
        "rules": [],
    }
    made = rbac.create_namespaced_role("default", role)
    assert made.metadata.name == "app-webhook:dynamic-serving"
    cluster_role = {**role, "kind": "ClusterRole", "metadata": {"name": "app:view"}}
    assert rbac.create_cluster_role(cluster_role).metadata.name == "app:view"
    with pytest.raises(ApiException) as raised:
        rbac.create_cluster_role({**cluster_role, "metadata": {"name": "a/b"}})
    status = json.loads(raised.value.body)
    assert (raised.value.status, status["reason"]) == (422, "Invalid")
    assert "may not contain '/'" in status["details"]["causes"][0]["message"]
