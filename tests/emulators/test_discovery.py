"""The emulator answers discovery the way the `kubernetes` client's DynamicClient needs."""

from __future__ import annotations

import pytest
import yaml
from kubernetes import client, config
from kubernetes.dynamic.exceptions import ResourceNotFoundError

from emulators.kubernetes import eventually
from tests.kube_objects import crd

GROUPS = {
    "apps/v1",
    "batch/v1",
    "networking.k8s.io/v1",
    "apiextensions.k8s.io/v1",
    "rbac.authorization.k8s.io/v1",
    "storage.k8s.io/v1",
    "policy/v1",
    "autoscaling/v2",
}

WIDGET_CRD = crd("Widget", names={"shortNames": ["wd"]}, subresources={"status": {}})


def test_version_and_core_api(k8s_emulator):
    api = k8s_emulator.api_client()
    assert client.VersionApi(api).get_code().git_version.startswith("v1.31")
    assert client.CoreApi(api).get_api_versions().versions == ["v1"]


def test_api_groups_list_the_usual_groups(k8s_emulator):
    groups = client.ApisApi(k8s_emulator.api_client()).get_api_versions().groups
    assert GROUPS <= {g.preferred_version.group_version for g in groups}


def test_resource_lists_say_name_kind_scope_and_verbs(k8s_emulator):
    resources = client.AppsV1Api(k8s_emulator.api_client()).get_api_resources().resources
    deployments = next(r for r in resources if r.name == "deployments")
    assert (deployments.kind, deployments.namespaced, deployments.singular_name) == (
        "Deployment",
        True,
        "deployment",
    )
    assert {"get", "list", "patch", "delete", "create"} <= set(deployments.verbs)
    assert "deployments/status" in {r.name for r in resources}


def test_dynamic_client_finds_every_kind(k8s_emulator):
    dyn = k8s_emulator.dynamic_client()
    for api_version, kind, namespaced in [
        ("v1", "Namespace", False),
        ("v1", "ConfigMap", True),
        ("apps/v1", "Deployment", True),
        ("batch/v1", "Job", True),
        ("networking.k8s.io/v1", "Ingress", True),
        ("rbac.authorization.k8s.io/v1", "ClusterRole", False),
        ("storage.k8s.io/v1", "StorageClass", False),
        ("policy/v1", "PodDisruptionBudget", True),
        ("autoscaling/v2", "HorizontalPodAutoscaler", True),
    ]:
        assert dyn.resources.get(api_version=api_version, kind=kind).namespaced is namespaced


def test_a_crd_registers_its_kind_once_established(k8s_emulator):
    dyn = k8s_emulator.dynamic_client()
    crds = dyn.resources.get(api_version="apiextensions.k8s.io/v1", kind="CustomResourceDefinition")
    crds.server_side_apply(body=WIDGET_CRD, field_manager="akua")

    def established():
        conditions = (
            crds.get(name="widgets.example.com").to_dict().get("status", {}).get("conditions", [])
        )
        return any(c["type"] == "Established" and c["status"] == "True" for c in conditions)

    eventually(established, what="the CRD to be Established")
    widgets = dyn.resources.get(api_version="example.com/v1", kind="Widget")
    assert widgets.namespaced
    widget = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w1", "namespace": "default"},
    }
    widgets.server_side_apply(body={**widget, "spec": {"size": 3}}, field_manager="akua")
    listed = widgets.get(namespace="default").to_dict()["items"]
    assert [(w["kind"], w["metadata"]["name"], w["spec"]) for w in listed] == [
        ("Widget", "w1", {"size": 3})
    ]
    assert "example.com/v1" in {
        g.preferred_version.group_version
        for g in client.ApisApi(k8s_emulator.api_client()).get_api_versions().groups
    }

    crds.delete(name="widgets.example.com")
    with pytest.raises(ResourceNotFoundError):
        k8s_emulator.dynamic_client().resources.get(api_version="example.com/v1", kind="Widget")
    assert k8s_emulator.objects("Widget") == []


def test_the_kubeconfig_builds_a_working_client(k8s_emulator):
    kubeconfig = yaml.safe_load(k8s_emulator.kubeconfig(context="emu"))
    assert kubeconfig["current-context"] == "emu"
    api = config.new_client_from_config_dict(kubeconfig)
    names = {ns.metadata.name for ns in client.CoreV1Api(api).list_namespace().items}
    assert {"default", "kube-system"} <= names
    assert len(client.CoreV1Api(api).list_node().items) == 3
    assert [sc.metadata.name for sc in client.StorageV1Api(api).list_storage_class().items] == [
        "standard"
    ]
    assert [ic.metadata.name for ic in client.NetworkingV1Api(api).list_ingress_class().items] == [
        "nginx"
    ]


def test_the_vendored_openapi_document_is_the_references_unchanged_copy():
    """emulators/kubernetes/swagger.json.gz is ../shared/reference/kubernetes/swagger.json,
    gzipped: discovery and OpenAPI are Kubernetes' own, not edited by hand."""
    import gzip
    from pathlib import Path

    from emulators.kubernetes import swagger

    root = Path(__file__).resolve().parents[2]
    wanted = "shared/reference/kubernetes/swagger.json"  # ../shared, or above a worktree
    found = [p / wanted for p in root.parents if (p / wanted).exists()]
    if not found:
        pytest.fail(f"the reference document is missing: ../{wanted} (CI has it)")
    assert gzip.decompress(swagger.FILE.read_bytes()) == found[0].read_bytes()
