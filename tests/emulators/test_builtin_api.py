"""The built-in API a chart uses (issue 13): served as a v1.31 server serves it, driven by
Kubernetes' OpenAPI document, with the controllers that make each kind healthy by Argo CD's
rules; unknown kinds and groups answered as a real server answers them."""

from __future__ import annotations

import json

import pytest
from kubernetes import client

from clusters.client import ApiError, KubeClient
from clusters.health import HealthStatus
from emulators.kubernetes import eventually
from tests.emulators.health import becomes
from tests.kube_objects import deployment, manifest


@pytest.fixture
def akua(k8s_emulator):
    c = KubeClient.from_kubeconfig(k8s_emulator.kubeconfig())
    yield c
    c.close()


SERVED = [
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", False),
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", False),
    ("autoscaling/v2", "HorizontalPodAutoscaler", True),
    ("apiregistration.k8s.io/v1", "APIService", False),
    ("policy/v1", "PodDisruptionBudget", True),
    ("networking.k8s.io/v1", "Ingress", True),
    ("networking.k8s.io/v1", "IngressClass", False),
    ("networking.k8s.io/v1", "NetworkPolicy", True),
    ("scheduling.k8s.io/v1", "PriorityClass", False),
    ("storage.k8s.io/v1", "StorageClass", False),
    ("storage.k8s.io/v1", "CSIDriver", False),
    ("rbac.authorization.k8s.io/v1", "ClusterRole", False),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", True),
    ("batch/v1", "Job", True),
    ("batch/v1", "CronJob", True),
    ("coordination.k8s.io/v1", "Lease", True),
    ("discovery.k8s.io/v1", "EndpointSlice", True),
    ("v1", "ServiceAccount", True),
]


@pytest.mark.parametrize("api_version,kind,namespaced", SERVED, ids=[k for _, k, _ in SERVED])
def test_discovery_serves_the_kind_with_its_scope(akua, api_version, kind, namespaced):
    assert akua.resource(api_version, kind).namespaced is namespaced


def test_verbs_and_subresources_come_from_the_openapi_document(k8s_emulator):
    api = client.ApisApi(k8s_emulator.api_client())
    groups = {g.name: g for g in api.get_api_versions().groups}
    assert groups["autoscaling"].preferred_version.version == "v2"
    resources = client.PolicyV1Api(k8s_emulator.api_client()).get_api_resources().resources
    by_name = {r.name: r for r in resources}
    assert by_name["poddisruptionbudgets"].short_names == ["pdb"]
    assert by_name["poddisruptionbudgets/status"].verbs == ["get", "patch", "update"]
    core = {
        r.name: r for r in client.CoreV1Api(k8s_emulator.api_client()).get_api_resources().resources
    }
    assert core["componentstatuses"].verbs == ["get", "list", "watch"]
    assert core["bindings"].verbs == ["create"]
    assert "deletecollection" not in core["namespaces"].verbs
    assert "all" in core["pods"].categories


def test_a_verb_the_resource_lacks_is_405(akua):
    with pytest.raises(ApiError) as raised:
        akua.request("POST", "/api/v1/componentstatuses", body={"metadata": {"name": "x"}})
    assert raised.value.code == 405
    assert raised.value.reason == "MethodNotAllowed"


def test_an_access_review_is_answered_not_stored(k8s_emulator):
    auth = client.AuthorizationV1Api(k8s_emulator.api_client())
    review = auth.create_self_subject_access_review(
        {
            "spec": {
                "resourceAttributes": {"verb": "create", "resource": "deployments", "group": "apps"}
            }
        }
    )
    assert review.status.allowed is True


@pytest.mark.parametrize(
    "path",
    [
        "/apis/apps/v1/namespaces/default/widgets",  # an unknown kind in a served group
        "/apis/apps/v1/widgets/w",
        "/apis/example.com/v1/namespaces/default/widgets",  # an unserved group
        "/apis/example.com/v1",
        "/apis/example.com",
        "/apis/apps/v2/deployments",  # an unserved version
        "/api/v2",
    ],
)
def test_what_is_not_served_is_the_real_servers_404(akua, path):
    with pytest.raises(ApiError) as raised:
        akua.get_json(path)
    assert raised.value.code == 404
    assert raised.value.body == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "the server could not find the requested resource",
        "reason": "NotFound",
        "details": {},
        "code": 404,
    }


def test_discovery_lacks_what_is_not_served(akua, k8s_emulator):
    with pytest.raises(ApiError) as raised:
        akua.resource("apps/v1", "Widget")
    assert raised.value.code == 404
    assert "example.com" not in json.dumps(akua.get_json("/apis"))
    assert all(g != "apps/v1beta1" for g in akua.api_groups())


WEBHOOK = {
    "apiVersion": "admissionregistration.k8s.io/v1",
    "kind": "ValidatingWebhookConfiguration",
    "metadata": {"name": "policy"},
    "webhooks": [
        {
            "name": "validate.policy.example.com",
            "admissionReviewVersions": ["v1"],
            "sideEffects": "None",
            "failurePolicy": "Fail",
            "clientConfig": {"service": {"name": "nowhere", "namespace": "default"}},
            "rules": [
                {
                    "apiGroups": [""],
                    "apiVersions": ["v1"],
                    "operations": ["CREATE"],
                    "resources": ["configmaps"],
                }
            ],
        }
    ],
}


def test_webhook_configurations_are_stored_and_never_called(akua, k8s_emulator):
    akua.apply(WEBHOOK)
    akua.apply({**WEBHOOK, "kind": "MutatingWebhookConfiguration"})
    stored = k8s_emulator.get("ValidatingWebhookConfiguration", "policy")
    assert stored["webhooks"][0]["clientConfig"]["service"]["port"] == 443
    assert k8s_emulator.get("MutatingWebhookConfiguration", "policy") is not None
    # its service does not exist and failurePolicy is Fail, yet nothing is refused
    akua.apply(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default"}}
    )


def _deployment(replicas: int) -> dict:
    return deployment(namespace="default", replicas=replicas)


def _hpa(minimum: int = 2, target: str = "web") -> dict:
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target},
            "minReplicas": minimum,
            "maxReplicas": 5,
        },
    }


def test_an_hpa_scales_its_target_into_range_and_is_healthy(akua, k8s_emulator):
    akua.apply(_deployment(1))
    akua.apply(_hpa(minimum=2))
    result = becomes(k8s_emulator, "HorizontalPodAutoscaler", HealthStatus.HEALTHY)
    assert result.message
    assert k8s_emulator.get("Deployment", "web", "default")["spec"]["replicas"] == 2
    status = k8s_emulator.get("HorizontalPodAutoscaler", "web", "default")["status"]
    assert status["desiredReplicas"] == 2
    assert [c["type"] for c in status["conditions"]] == [
        "AbleToScale",
        "ScalingActive",
        "ScalingLimited",
    ]
    managers = k8s_emulator.get("Deployment", "web", "default")["metadata"]["managedFields"]
    assert "kube-controller-manager" in {m["manager"] for m in managers}


def test_an_hpa_without_its_target_is_degraded(akua, k8s_emulator):
    akua.apply(_hpa(target="gone"))
    result = becomes(k8s_emulator, "HorizontalPodAutoscaler", HealthStatus.DEGRADED)
    assert 'deployments "gone" not found' in result.message


def test_a_pdb_counts_the_healthy_pods_it_covers(akua, k8s_emulator):
    akua.apply(_deployment(3))
    akua.apply(
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"minAvailable": "50%", "selector": {"matchLabels": {"app": "web"}}},
        }
    )
    status = eventually(
        lambda: (
            (
                s := k8s_emulator.get("PodDisruptionBudget", "web", "default").get("status") or {}
            ).get("currentHealthy")
            == 3
            and s
        ),
        what="PDB counts 3 healthy pods",
    )
    assert (status["expectedPods"], status["desiredHealthy"], status["disruptionsAllowed"]) == (
        3,
        2,
        1,
    )


def test_an_api_service_is_available_when_local_or_its_service_exists(akua, k8s_emulator):
    def api_service(name, service=None):
        group = name.split(".", 1)[1]
        spec = {
            "group": group,
            "version": "v1beta1",
            "groupPriorityMinimum": 100,
            "versionPriority": 10,
        }
        if service:
            spec["service"] = service
        akua.apply(
            {
                "apiVersion": "apiregistration.k8s.io/v1",
                "kind": "APIService",
                "metadata": {"name": name},
                "spec": spec,
            }
        )

    api_service("v1beta1.local.example.com")
    api_service("v1beta1.metrics.example.com", {"name": "metrics", "namespace": "default"})

    def available(name):
        conditions = (k8s_emulator.get("APIService", name) or {}).get("status", {}).get(
            "conditions"
        ) or []
        return next((c for c in conditions if c["type"] == "Available"), None)

    assert eventually(lambda: available("v1beta1.local.example.com"))["status"] == "True"
    missing = eventually(lambda: available("v1beta1.metrics.example.com"))
    assert (missing["status"], missing["reason"]) == ("False", "ServiceNotFound")


def _job(name: str, image: str = "migrate:1", ttl: int | None = None) -> dict:
    spec = {
        "template": {
            "spec": {"restartPolicy": "Never", "containers": [{"name": "m", "image": image}]}
        },
    }
    if ttl is not None:
        spec["ttlSecondsAfterFinished"] = ttl
    return manifest("batch/v1", "Job", name, namespace="default", spec=spec)


def test_a_job_runs_a_pod_completes_and_is_deleted_after_its_ttl(akua, k8s_emulator):
    akua.apply(_job("migrate", ttl=1))
    done = becomes(k8s_emulator, "Job", HealthStatus.HEALTHY, name="migrate")
    assert done
    pods = k8s_emulator.objects("Pod", "default")
    assert [p["status"]["phase"] for p in pods] == ["Succeeded"]
    assert pods[0]["metadata"]["labels"]["job-name"] == "migrate"
    eventually(lambda: k8s_emulator.get("Job", "migrate", "default") is None, what="TTL")
    assert k8s_emulator.objects("Pod", "default") == []


def test_a_job_with_ttl_zero_goes_as_soon_as_it_finishes(akua, k8s_emulator):
    akua.apply(_job("hook", ttl=0))
    eventually(lambda: k8s_emulator.get("Job", "hook", "default") is None, what="gone at once")


def test_a_job_whose_image_says_fail_fails_and_keeps_its_failed_pod(akua, k8s_emulator):
    akua.apply(_job("broken", image="migrate:1-fail"))
    result = becomes(k8s_emulator, "Job", HealthStatus.DEGRADED, name="broken")
    assert "backoff limit" in result.message.lower()
    assert [p["status"]["phase"] for p in k8s_emulator.objects("Pod", "default")] == ["Failed"]
