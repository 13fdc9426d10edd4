"""The simulated controller moves status; the health rules read it as they would a cluster's."""

from __future__ import annotations

import json

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from clusters.health import HealthStatus, assess
from emulators.kubernetes import eventually
from tests.emulators.health import becomes, health_of
from tests.kube_objects import claim


def workload(kind, name="web", image="nginx:1.27", replicas=2, **spec):
    body = {
        "apiVersion": "batch/v1" if kind == "Job" else "apps/v1",
        "kind": kind,
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": name, "image": image}]},
            },
            **spec,
        },
    }
    if kind != "Job":
        body["spec"]["selector"] = {"matchLabels": {"app": name}}
    if kind in ("Deployment", "StatefulSet"):
        body["spec"]["replicas"] = replicas
    if kind == "Job":
        body["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    return body


def apply(emulator, body):
    resource = emulator.dynamic_client().resources.get(
        api_version=body["apiVersion"], kind=body["kind"]
    )
    return resource.server_side_apply(body=body, field_manager="akua").to_dict()


def test_a_deployment_rolls_out_and_becomes_available(k8s_emulator):
    k8s_emulator.ready_after = 60  # hold the rollout until the test lets it go
    apply(k8s_emulator, workload("Deployment"))
    k8s_emulator.step()
    assert "0 of 2 updated replicas are available" in health_of(k8s_emulator, "Deployment").message
    k8s_emulator.ready_after = 0
    becomes(k8s_emulator, "Deployment", HealthStatus.HEALTHY)
    status = k8s_emulator.get("Deployment", "web", "default")["status"]
    assert status["observedGeneration"] == 1
    assert (status["updatedReplicas"], status["readyReplicas"], status["availableReplicas"]) == (
        2,
        2,
        2,
    )
    conditions = {c["type"]: c for c in status["conditions"]}
    assert conditions["Available"]["status"] == "True"
    assert (conditions["Progressing"]["status"], conditions["Progressing"]["reason"]) == (
        "True",
        "NewReplicaSetAvailable",
    )

    pods = k8s_emulator.objects("Pod", "default")
    assert len(pods) == 2 and all(assess(p).status is HealthStatus.HEALTHY for p in pods)
    assert len(k8s_emulator.objects("ReplicaSet", "default")) == 1


def test_a_failing_image_never_becomes_available_and_exceeds_its_deadline(k8s_emulator):
    apply(k8s_emulator, workload("Deployment", image="ghcr.io/acme/web:2.0-fail"))
    result = becomes(k8s_emulator, "Deployment", HealthStatus.DEGRADED)
    assert 'Deployment "web" exceeded its progress deadline' in result.message
    status = k8s_emulator.get("Deployment", "web", "default")["status"]
    progressing = next(c for c in status["conditions"] if c["type"] == "Progressing")
    assert (progressing["status"], progressing["reason"]) == ("False", "ProgressDeadlineExceeded")
    assert status.get("availableReplicas", 0) == 0

    pods = k8s_emulator.objects("Pod", "default")
    waiting = {p["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] for p in pods}
    assert waiting == {"CrashLoopBackOff"}
    assert all(assess(p).status is HealthStatus.DEGRADED for p in pods)


def test_a_pull_failure_shows_image_pull_backoff(k8s_emulator):
    apply(k8s_emulator, workload("Deployment", image="ghcr.io/acme/web:2.0-pull-fail", replicas=1))

    def pulling():
        pods = k8s_emulator.objects("Pod", "default")
        states = [p["status"]["containerStatuses"][0]["state"] for p in pods]
        return (
            pods
            if states and states[0].get("waiting", {}).get("reason") == "ImagePullBackOff"
            else None
        )

    pod = eventually(pulling, what="ImagePullBackOff")[0]
    assert 'Back-off pulling image "ghcr.io/acme/web:2.0-pull-fail"' in assess(pod).message


def test_a_fixed_image_recovers_and_old_pods_serve_meanwhile(k8s_emulator):
    apply(k8s_emulator, workload("Deployment"))
    becomes(k8s_emulator, "Deployment", HealthStatus.HEALTHY)
    k8s_emulator.ready_after = 60
    apply(k8s_emulator, workload("Deployment", image="nginx:1.28"))

    def rolling():
        obj = k8s_emulator.get("Deployment", "web", "default")
        return obj if "old replicas are pending termination" in assess(obj).message else None

    assert eventually(rolling, what="the rollout")["status"]["availableReplicas"] == 2
    assert len(k8s_emulator.objects("Pod", "default")) == 4
    k8s_emulator.ready_after = 0
    becomes(k8s_emulator, "Deployment", HealthStatus.HEALTHY)
    assert {
        p["spec"]["containers"][0]["image"] for p in k8s_emulator.objects("Pod", "default")
    } == {"nginx:1.28"}


def test_a_paused_deployment_is_suspended(k8s_emulator):
    apply(k8s_emulator, workload("Deployment", paused=True))
    assert (
        becomes(k8s_emulator, "Deployment", HealthStatus.SUSPENDED).message
        == "Deployment is paused"
    )


def test_pod_logs_with_tail_lines(k8s_emulator):
    apply(k8s_emulator, workload("Deployment", replicas=1))
    becomes(k8s_emulator, "Deployment", HealthStatus.HEALTHY)
    core = client.CoreV1Api(k8s_emulator.api_client())
    pod = core.list_namespaced_pod("default", label_selector="app=web").items[0]
    everything = core.read_namespaced_pod_log(pod.metadata.name, "default")
    assert "starting web (nginx:1.27)" in everything
    last = core.read_namespaced_pod_log(pod.metadata.name, "default", tail_lines=1)
    assert last.splitlines() == everything.splitlines()[-1:]


def test_logs_of_a_crashing_pod_say_why(k8s_emulator):
    apply(k8s_emulator, workload("Deployment", replicas=1, image="app:1-fail"))
    core = client.CoreV1Api(k8s_emulator.api_client())

    def crashing():
        pods = core.list_namespaced_pod("default").items
        return (
            pods
            if pods
            and pods[0].status.container_statuses[0].state.waiting.reason == "CrashLoopBackOff"
            else None
        )

    pod = eventually(crashing, what="CrashLoopBackOff")[0]
    assert "exiting with status 1" in core.read_namespaced_pod_log(
        pod.metadata.name, "default", tail_lines=2
    )


def test_logs_of_a_pod_that_never_started_are_a_400(k8s_emulator):
    apply(k8s_emulator, workload("Deployment", replicas=1, image="app:1-pull-fail"))
    core = client.CoreV1Api(k8s_emulator.api_client())
    pod = eventually(lambda: core.list_namespaced_pod("default").items, what="a pod")[0]
    with pytest.raises(ApiException) as raised:
        core.read_namespaced_pod_log(pod.metadata.name, "default")
    assert raised.value.status == 400
    assert "is waiting to start" in json.loads(raised.value.body)["message"]


def test_a_statefulset_becomes_ready_at_one_revision(k8s_emulator):
    apply(k8s_emulator, workload("StatefulSet", name="db", serviceName="db"))
    becomes(k8s_emulator, "StatefulSet", HealthStatus.HEALTHY, name="db")
    status = k8s_emulator.get("StatefulSet", "db", "default")["status"]
    assert status["readyReplicas"] == 2
    assert status["currentRevision"] == status["updateRevision"]


def test_a_failing_statefulset_stays_progressing(k8s_emulator):
    apply(k8s_emulator, workload("StatefulSet", name="db", image="postgres:16-fail"))
    k8s_emulator.step()
    k8s_emulator.step()
    result = becomes(k8s_emulator, "StatefulSet", HealthStatus.PROGRESSING, name="db")
    assert "Waiting for 2 pods to be ready" in result.message


def test_a_daemonset_runs_on_every_node(k8s_emulator):
    apply(k8s_emulator, workload("DaemonSet", name="agent"))
    becomes(k8s_emulator, "DaemonSet", HealthStatus.HEALTHY, name="agent")
    status = k8s_emulator.get("DaemonSet", "agent", "default")["status"]
    assert status["desiredNumberScheduled"] == status["numberAvailable"] == 3


def test_a_job_completes(k8s_emulator):
    apply(k8s_emulator, workload("Job", name="migrate"))
    becomes(k8s_emulator, "Job", HealthStatus.HEALTHY, name="migrate")
    assert k8s_emulator.get("Job", "migrate", "default")["status"]["succeeded"] == 1


def test_a_failing_job_fails(k8s_emulator):
    apply(k8s_emulator, workload("Job", name="migrate", image="migrate:1-fail"))
    result = becomes(k8s_emulator, "Job", HealthStatus.DEGRADED, name="migrate")
    assert result.message == "Job has reached the specified backoff limit"


def test_a_suspended_job_is_suspended(k8s_emulator):
    apply(k8s_emulator, workload("Job", name="migrate", suspend=True))
    becomes(k8s_emulator, "Job", HealthStatus.SUSPENDED, name="migrate")


def test_a_load_balancer_service_and_an_ingress_get_addresses(k8s_emulator):
    k8s_emulator.ready_after = 60
    apply(
        k8s_emulator,
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"type": "LoadBalancer", "selector": {"app": "web"}, "ports": [{"port": 80}]},
        },
    )
    apply(
        k8s_emulator,
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "rules": [
                    {
                        "host": "shop.example",
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {"service": {"name": "web", "port": {"number": 80}}},
                                }
                            ]
                        },
                    }
                ]
            },
        },
    )
    k8s_emulator.step()
    assert health_of(k8s_emulator, "Service").status is HealthStatus.PROGRESSING
    assert health_of(k8s_emulator, "Ingress").status is HealthStatus.PROGRESSING
    k8s_emulator.ready_after = 0
    becomes(k8s_emulator, "Service", HealthStatus.HEALTHY)
    becomes(k8s_emulator, "Ingress", HealthStatus.HEALTHY)
    assert k8s_emulator.get("Service", "web", "default")["spec"]["clusterIP"].startswith("10.96.")


def test_a_claim_binds_unless_its_storage_class_is_missing(k8s_emulator):
    apply(k8s_emulator, claim("data", "5Gi", namespace="default"))
    apply(k8s_emulator, claim("fast", "5Gi", storage_class="premium-ssd", namespace="default"))
    becomes(k8s_emulator, "PersistentVolumeClaim", HealthStatus.HEALTHY, name="data")
    assert k8s_emulator.get("PersistentVolumeClaim", "data", "default")["status"]["capacity"] == {
        "storage": "5Gi"
    }
    assert (
        health_of(k8s_emulator, "PersistentVolumeClaim", "fast").status is HealthStatus.PROGRESSING
    )


def test_a_settled_cluster_keeps_its_resource_versions(k8s_emulator):
    apply(k8s_emulator, workload("Deployment"))
    becomes(k8s_emulator, "Deployment", HealthStatus.HEALTHY)
    k8s_emulator.step()
    before = k8s_emulator.store.resource_version
    k8s_emulator.step()
    k8s_emulator.step()
    assert k8s_emulator.store.resource_version == before
