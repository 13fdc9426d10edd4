"""Server-side apply against the emulator: create-or-merge, field managers, conflicts, force."""

from __future__ import annotations

import copy
import json

import pytest
from kubernetes import client
from kubernetes.dynamic.exceptions import ConflictError, NotFoundError, UnprocessibleEntityError

from tests import kube_objects


def deployment(replicas=2, image="nginx:1.27", labels=None):
    body = kube_objects.deployment(image=image, namespace="default", replicas=replicas)
    body["metadata"]["labels"] = labels or {"app": "web"}
    return body


@pytest.fixture
def deployments(k8s_emulator):
    return k8s_emulator.dynamic_client().resources.get(api_version="apps/v1", kind="Deployment")


def managers(obj) -> dict:
    return {(m["manager"], m["operation"]): m["fieldsV1"] for m in obj["metadata"]["managedFields"]}


def test_apply_creates_then_merges(deployments):
    created = deployments.server_side_apply(body=deployment(), field_manager="akua").to_dict()
    meta = created["metadata"]
    assert meta["uid"] and meta["creationTimestamp"] and meta["generation"] == 1
    assert created["spec"]["replicas"] == 2
    assert managers(created)[("akua", "Apply")]["f:spec"]["f:replicas"] == {}

    changed = deployments.server_side_apply(
        body=deployment(replicas=3), field_manager="akua"
    ).to_dict()
    assert changed["spec"]["replicas"] == 3
    assert changed["metadata"]["uid"] == meta["uid"]
    assert changed["metadata"]["generation"] == 2
    assert int(changed["metadata"]["resourceVersion"]) > int(meta["resourceVersion"])


def test_the_same_apply_twice_changes_nothing(k8s_emulator):
    configmaps = k8s_emulator.dynamic_client().resources.get(api_version="v1", kind="ConfigMap")
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "c", "namespace": "default"},
        "data": {"a": "1"},
    }
    first = configmaps.server_side_apply(body=body, field_manager="akua").to_dict()
    again = configmaps.server_side_apply(body=body, field_manager="akua").to_dict()
    assert again["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    assert again["metadata"]["managedFields"] == first["metadata"]["managedFields"]


def test_a_label_only_change_keeps_the_generation(deployments):
    deployments.server_side_apply(body=deployment(), field_manager="akua")
    out = deployments.server_side_apply(
        body=deployment(labels={"app": "web", "tier": "front"}), field_manager="akua"
    )
    assert out.metadata.labels.tier == "front"
    assert out.metadata.generation == 1


def test_fields_the_manager_stops_applying_are_removed(deployments):
    deployments.server_side_apply(
        body=deployment(labels={"app": "web", "old": "yes"}), field_manager="akua"
    )
    out = deployments.server_side_apply(
        body=deployment(labels={"app": "web"}), field_manager="akua"
    ).to_dict()
    assert out["metadata"]["labels"] == {"app": "web"}


def test_fields_another_manager_also_owns_are_kept(deployments):
    deployments.server_side_apply(
        body=deployment(labels={"app": "web", "team": "a"}), field_manager="akua"
    )
    deployments.server_side_apply(
        body={
            **deployment(labels={"team": "a"}),
            "spec": {
                "selector": {"matchLabels": {"app": "web"}},
                "template": deployment()["spec"]["template"],
            },
        },
        field_manager="other",
    )
    out = deployments.server_side_apply(
        body=deployment(labels={"app": "web"}), field_manager="akua"
    ).to_dict()
    assert out["metadata"]["labels"] == {"app": "web", "team": "a"}


def test_containers_merge_by_name(deployments):
    two = deployment()
    two["spec"]["template"]["spec"]["containers"].append({"name": "sidecar", "image": "envoy:1.31"})
    deployments.server_side_apply(body=two, field_manager="akua")
    out = deployments.server_side_apply(
        body=deployment(image="nginx:1.28"), field_manager="akua"
    ).to_dict()
    containers = out["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [("web", "nginx:1.28")]


def _replicas_edited_by_kubectl(deployments) -> None:
    """Akua applies 2 replicas, then `kubectl edit` sets 5: another manager owns them."""
    deployments.server_side_apply(body=deployment(replicas=2), field_manager="akua")
    deployments.patch(
        body={"spec": {"replicas": 5}},
        name="web",
        namespace="default",
        content_type="application/merge-patch+json",
        field_manager="kubectl-edit",
    )


def test_a_conflict_with_another_manager_is_a_409_naming_field_and_manager(deployments):
    _replicas_edited_by_kubectl(deployments)
    with pytest.raises(ConflictError) as raised:
        deployments.server_side_apply(body=deployment(replicas=2), field_manager="akua")
    status = json.loads(raised.value.body)
    assert status["kind"] == "Status" and status["reason"] == "Conflict" and status["code"] == 409
    assert (
        status["message"]
        == 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas'
    )
    assert status["details"]["causes"] == [
        {
            "reason": "FieldManagerConflict",
            "message": 'conflict with "kubectl-edit" using apps/v1',
            "field": ".spec.replicas",
        }
    ]
    assert deployments.get(name="web", namespace="default").spec.replicas == 5


def test_applying_the_value_someone_else_set_is_no_conflict(deployments):
    _replicas_edited_by_kubectl(deployments)
    out = deployments.server_side_apply(body=deployment(replicas=5), field_manager="akua")
    assert out.spec.replicas == 5


def test_force_takes_ownership(deployments):
    _replicas_edited_by_kubectl(deployments)
    out = deployments.server_side_apply(
        body=deployment(replicas=2), field_manager="akua", force_conflicts=True
    ).to_dict()
    assert out["spec"]["replicas"] == 2
    owners = managers(out)
    assert "f:replicas" in owners[("akua", "Apply")]["f:spec"]
    assert "f:replicas" not in owners.get(("kubectl-edit", "Update"), {}).get("f:spec", {})


def test_a_conflict_on_a_container_image_names_the_list_item(deployments):
    deployments.server_side_apply(body=deployment(), field_manager="akua")
    deployments.server_side_apply(
        body=deployment(image="nginx:1.28"), field_manager="helm", force_conflicts=True
    )
    with pytest.raises(ConflictError) as raised:
        deployments.server_side_apply(body=deployment(image="nginx:1.29"), field_manager="akua")
    assert '.spec.template.spec.containers[name="web"].image' in raised.value.summary()
    assert 'conflict with "helm"' in raised.value.summary()


def test_apply_through_patch_content_type_and_yaml_body(deployments, k8s_emulator):
    import yaml

    body = yaml.safe_dump(deployment(replicas=4))
    deployments.patch(
        body=body,
        name="web",
        namespace="default",
        content_type="application/apply-patch+yaml",
        field_manager="akua",
    )
    assert k8s_emulator.get("Deployment", "web", "default")["spec"]["replicas"] == 4


def test_apply_needs_a_field_manager(deployments):
    with pytest.raises(UnprocessibleEntityError) as raised:
        deployments.patch(
            body=deployment(),
            name="web",
            namespace="default",
            content_type="application/apply-patch+yaml",
        )
    assert "fieldManager: Required value" in raised.value.summary()


def test_apply_into_a_missing_namespace_is_a_404(deployments):
    body = copy.deepcopy(deployment())
    body["metadata"]["namespace"] = "shop"
    with pytest.raises(NotFoundError) as raised:
        deployments.server_side_apply(body=body, field_manager="akua")
    assert raised.value.summary() == 'namespaces "shop" not found'


def test_validation_errors_are_422_with_the_field(deployments):
    body = deployment()
    body["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    with pytest.raises(UnprocessibleEntityError) as raised:
        deployments.server_side_apply(body=body, field_manager="akua")
    assert raised.value.summary().startswith(
        'Deployment.apps "web" is invalid: spec.template.metadata.labels'
    )


def test_typed_client_patch_and_merge_patch_drift(k8s_emulator, deployments):
    deployments.server_side_apply(body=deployment(), field_manager="akua")
    apps = client.AppsV1Api(k8s_emulator.api_client())
    apps.patch_namespaced_deployment(
        "web", "default", {"spec": {"replicas": 7}}, field_manager="someone"
    )
    live = apps.read_namespaced_deployment("web", "default")
    assert live.spec.replicas == 7
    assert live.metadata.generation == 2
    owners = {(m.manager, m.operation) for m in live.metadata.managed_fields}
    assert owners == {("akua", "Apply"), ("someone", "Update")}


def test_status_is_not_applied_and_status_subresource_patches_only_status(
    k8s_emulator, deployments
):
    body = {**deployment(), "status": {"replicas": 99}}
    out = deployments.server_side_apply(body=body, field_manager="akua").to_dict()
    assert out.get("status", {}).get("replicas") != 99
    k8s_emulator.controller.stop()  # keep the controller from rewriting status meanwhile
    deployments.status.patch(
        body={"status": {"observedGeneration": 42}},
        name="web",
        namespace="default",
        content_type="application/merge-patch+json",
    )
    assert k8s_emulator.get("Deployment", "web", "default")["status"]["observedGeneration"] == 42
