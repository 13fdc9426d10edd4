"""The defaults a real API server applies, table-driven: what each kind reads back with,
that an applier does not own them (a creator does), and that a server-side dry-run apply
of the same manifest changes nothing (so drift read that way is never a default)."""

from __future__ import annotations

import pytest
from kubernetes import client

POD_TEMPLATE = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {
        "containers": [
            {
                "name": "web",
                "image": "nginx:1.27",
                "ports": [{"containerPort": 80}],
                "readinessProbe": {"httpGet": {"port": 80}},
                "env": [
                    {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}
                ],
            },
            {"name": "tools", "image": "busybox"},
        ],
        "volumes": [{"name": "conf", "configMap": {"name": "web"}}, {"name": "tmp"}],
    },
}
SELECTOR = {"matchLabels": {"app": "web"}}
POD_DEFAULTS = [
    ("spec.template.spec.dnsPolicy", "ClusterFirst"),
    ("spec.template.spec.restartPolicy", "Always"),
    ("spec.template.spec.schedulerName", "default-scheduler"),
    ("spec.template.spec.securityContext", {}),
    ("spec.template.spec.terminationGracePeriodSeconds", 30),
    ("spec.template.spec.containers.0.imagePullPolicy", "IfNotPresent"),
    ("spec.template.spec.containers.1.imagePullPolicy", "Always"),  # no tag: latest
    ("spec.template.spec.containers.0.terminationMessagePath", "/dev/termination-log"),
    ("spec.template.spec.containers.0.terminationMessagePolicy", "File"),
    ("spec.template.spec.containers.0.ports.0.protocol", "TCP"),
    ("spec.template.spec.containers.0.readinessProbe.httpGet.path", "/"),
    ("spec.template.spec.containers.0.readinessProbe.httpGet.scheme", "HTTP"),
    ("spec.template.spec.containers.0.readinessProbe.periodSeconds", 10),
    ("spec.template.spec.containers.0.readinessProbe.timeoutSeconds", 1),
    ("spec.template.spec.containers.0.readinessProbe.successThreshold", 1),
    ("spec.template.spec.containers.0.readinessProbe.failureThreshold", 3),
    ("spec.template.spec.containers.0.env.0.valueFrom.fieldRef.apiVersion", "v1"),
    ("spec.template.spec.volumes.0.configMap.defaultMode", 420),
    ("spec.template.spec.volumes.1.emptyDir", {}),
]

CASES = [
    (
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {"selector": SELECTOR, "template": POD_TEMPLATE},
        },
        [
            ("spec.replicas", 1),
            ("spec.revisionHistoryLimit", 10),
            ("spec.progressDeadlineSeconds", 600),
            (
                "spec.strategy",
                {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                },
            ),
            *POD_DEFAULTS,
        ],
    ),
    (
        {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": "db"},
            "spec": {
                "serviceName": "db",
                "selector": SELECTOR,
                "template": POD_TEMPLATE,
                "volumeClaimTemplates": [
                    {
                        "metadata": {"name": "data"},
                        "spec": {
                            "accessModes": ["ReadWriteOnce"],
                            "resources": {"requests": {"storage": "1024Mi"}},
                        },
                    }
                ],
            },
        },
        [
            ("spec.replicas", 1),
            ("spec.podManagementPolicy", "OrderedReady"),
            ("spec.revisionHistoryLimit", 10),
            ("spec.updateStrategy", {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}),
            (
                "spec.persistentVolumeClaimRetentionPolicy",
                {"whenDeleted": "Retain", "whenScaled": "Retain"},
            ),
            ("spec.volumeClaimTemplates.0.apiVersion", "v1"),
            ("spec.volumeClaimTemplates.0.kind", "PersistentVolumeClaim"),
            ("spec.volumeClaimTemplates.0.spec.volumeMode", "Filesystem"),
            ("spec.volumeClaimTemplates.0.spec.resources.requests.storage", "1Gi"),
            ("spec.volumeClaimTemplates.0.status", {"phase": "Pending"}),
            *POD_DEFAULTS,
        ],
    ),
    (
        {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": {"name": "agent"},
            "spec": {"selector": SELECTOR, "template": POD_TEMPLATE},
        },
        [
            ("spec.revisionHistoryLimit", 10),
            (
                "spec.updateStrategy",
                {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}},
            ),
            *POD_DEFAULTS,
        ],
    ),
    (
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "migrate"},
            "spec": {
                "template": {
                    "metadata": {"labels": {"app": "migrate"}},
                    "spec": {
                        "restartPolicy": "Never",
                        "containers": [{"name": "m", "image": "migrate:1"}],
                    },
                }
            },
        },
        [
            ("spec.completions", 1),
            ("spec.parallelism", 1),
            ("spec.backoffLimit", 6),
            ("spec.completionMode", "NonIndexed"),
            ("spec.suspend", False),
            ("spec.podReplacementPolicy", "TerminatingOrFailed"),
            ("metadata.labels", {"app": "migrate"}),
            ("spec.template.spec.containers.0.imagePullPolicy", "IfNotPresent"),
            ("spec.template.metadata.labels.job-name", "migrate"),
            ("spec.template.metadata.labels.batch.kubernetes.io/job-name", "migrate"),
        ],
    ),
    (
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": {"name": "nightly"},
            "spec": {
                "schedule": "0 3 * * *",
                "jobTemplate": {
                    "spec": {
                        "template": {
                            "spec": {
                                "restartPolicy": "OnFailure",
                                "containers": [{"name": "n", "image": "n:1"}],
                            }
                        }
                    }
                },
            },
        },
        [
            ("spec.concurrencyPolicy", "Allow"),
            ("spec.suspend", False),
            ("spec.successfulJobsHistoryLimit", 3),
            ("spec.failedJobsHistoryLimit", 1),
            ("spec.jobTemplate.spec.backoffLimit", 6),
            ("spec.jobTemplate.spec.template.spec.dnsPolicy", "ClusterFirst"),
        ],
    ),
    (
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
        },
        [
            ("spec.type", "ClusterIP"),
            ("spec.sessionAffinity", "None"),
            ("spec.internalTrafficPolicy", "Cluster"),
            ("spec.ipFamilies", ["IPv4"]),
            ("spec.ipFamilyPolicy", "SingleStack"),
            ("spec.ports.0.protocol", "TCP"),
            ("spec.ports.0.targetPort", 80),
        ],
    ),
    (
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "edge"},
            "spec": {
                "type": "LoadBalancer",
                "selector": {"app": "web"},
                "ports": [{"port": 443, "targetPort": "https"}],
            },
        },
        [
            ("spec.externalTrafficPolicy", "Cluster"),
            ("spec.allocateLoadBalancerNodePorts", True),
            ("spec.ports.0.targetPort", "https"),
        ],
    ),
    (
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"a": "b"}},
        [("type", "Opaque")],
    ),
    (
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "np"},
            "spec": {"podSelector": {}, "egress": [{"ports": [{"port": 53}]}]},
        },
        [("spec.policyTypes", ["Ingress", "Egress"]), ("spec.egress.0.ports.0.protocol", "TCP")],
    ),
    (
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "rb"},
            "roleRef": {"kind": "Role", "name": "r", "apiGroup": "rbac.authorization.k8s.io"},
            "subjects": [
                {"kind": "ServiceAccount", "name": "web"},
                {"kind": "User", "name": "ann"},
            ],
        },
        [("subjects.0.apiGroup", ""), ("subjects.1.apiGroup", "rbac.authorization.k8s.io")],
    ),
    (
        {
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": "high"},
            "value": 1000,
        },
        [("preemptionPolicy", "PreemptLowerPriority")],
    ),
    (
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {"name": "fast"},
            "provisioner": "x.io/y",
        },
        [("reclaimPolicy", "Delete"), ("volumeBindingMode", "Immediate")],
    ),
    (
        {
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingWebhookConfiguration",
            "metadata": {"name": "vw"},
            "webhooks": [
                {
                    "name": "check.example.com",
                    "admissionReviewVersions": ["v1"],
                    "sideEffects": "None",
                    "clientConfig": {"service": {"name": "hook", "namespace": "default"}},
                    "rules": [
                        {
                            "apiGroups": [""],
                            "apiVersions": ["v1"],
                            "operations": ["CREATE"],
                            "resources": ["pods"],
                        }
                    ],
                }
            ],
        },
        [
            ("webhooks.0.failurePolicy", "Fail"),
            ("webhooks.0.matchPolicy", "Equivalent"),
            ("webhooks.0.namespaceSelector", {}),
            ("webhooks.0.objectSelector", {}),
            ("webhooks.0.timeoutSeconds", 10),
            ("webhooks.0.rules.0.scope", "*"),
            ("webhooks.0.clientConfig.service.port", 443),
        ],
    ),
    (
        {
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "MutatingWebhookConfiguration",
            "metadata": {"name": "mw"},
            "webhooks": [
                {
                    "name": "mutate.example.com",
                    "admissionReviewVersions": ["v1"],
                    "sideEffects": "None",
                    "clientConfig": {"url": "https://hook.example.com"},
                }
            ],
        },
        [("webhooks.0.reinvocationPolicy", "Never"), ("webhooks.0.failurePolicy", "Fail")],
    ),
    (
        {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web"},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                "maxReplicas": 5,
                "behavior": {"scaleDown": {}},
            },
        },
        [
            ("spec.minReplicas", 1),
            ("spec.metrics.0.resource.target", {"type": "Utilization", "averageUtilization": 80}),
            ("spec.behavior.scaleUp.stabilizationWindowSeconds", 0),
            ("spec.behavior.scaleDown.selectPolicy", "Max"),
        ],
    ),
    (
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}},
            },
        },
        [("spec.volumeMode", "Filesystem"), ("spec.storageClassName", "standard")],
    ),
]
IDS = [f"{m['kind']}/{m['metadata']['name']}" for m, _ in CASES]


def _at(obj, path: str):
    node = obj
    for part in _split(path):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _split(path: str) -> list[str]:
    """Dots separate fields, except inside a label key such as batch.kubernetes.io/job-name."""
    if ".labels." in path:
        head, _, key = path.partition(".labels.")
        return [*head.split("."), "labels", key]
    return path.split(".")


def _resource(k8s_emulator, manifest):
    return k8s_emulator.dynamic_client().resources.get(
        api_version=manifest["apiVersion"], kind=manifest["kind"]
    )


def _apply(resource, manifest, **kw):
    namespace = "default" if resource.namespaced else None
    return resource.server_side_apply(
        body=manifest, namespace=namespace, field_manager="akua", **kw
    ).to_dict()


@pytest.mark.parametrize("manifest,defaults", CASES, ids=IDS)
def test_an_applied_object_reads_back_with_the_servers_defaults(k8s_emulator, manifest, defaults):
    k8s_emulator.controller.stop()  # status moves would change resourceVersions meanwhile
    resource = _resource(k8s_emulator, manifest)
    live = _apply(resource, manifest)
    for path, value in defaults:
        assert _at(live, path) == value, path
    # the applier owns what it applied, not the defaults
    applier = next(m for m in live["metadata"]["managedFields"] if m["manager"] == "akua")
    owned = str(applier["fieldsV1"])
    for path, _ in defaults:
        leaf = _split(path)[-1]
        if leaf not in str(manifest):
            assert f"'f:{leaf}'" not in owned, path
    # a dry-run apply of the same manifest is the live object: no false drift
    assert _apply(resource, manifest, dry_run="All") == live


def test_a_creator_owns_the_defaults_it_was_given(k8s_emulator):
    apps = client.AppsV1Api(k8s_emulator.api_client())
    made = apps.create_namespaced_deployment(
        "default", CASES[0][0], field_manager="kubectl-create"
    ).to_dict()
    fields = str(made["metadata"]["managed_fields"][0]["fields_v1"])
    assert "f:progressDeadlineSeconds" in fields and "f:imagePullPolicy" in fields


def test_a_pod_gets_requests_from_its_limits_and_its_service_account(k8s_emulator):
    core = client.CoreV1Api(k8s_emulator.api_client())
    pod = core.create_namespaced_pod(
        "default",
        {
            "metadata": {"name": "p"},
            "spec": {
                "containers": [
                    {
                        "name": "c",
                        "image": "c:1",
                        "resources": {"limits": {"cpu": "2", "memory": "1Gi"}},
                    }
                ]
            },
        },
    )
    assert pod.spec.containers[0].resources.requests == {"cpu": "2", "memory": "1Gi"}
    assert pod.spec.service_account_name == "default"
    assert pod.spec.enable_service_links is True
    assert {t.key for t in pod.spec.tolerations} == {
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    }


def test_a_job_gets_a_generated_selector_owned_by_nobody(k8s_emulator):
    manifest = CASES[3][0]
    live = _apply(_resource(k8s_emulator, manifest), manifest)
    uid = live["metadata"]["uid"]
    assert live["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert "f:selector" not in str(live["metadata"]["managedFields"])


def test_a_service_keeps_its_cluster_ip_and_node_ports_across_applies(k8s_emulator):
    manifest = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "np"},
        "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80}]},
    }
    services = _resource(k8s_emulator, manifest)
    first = _apply(services, manifest)
    assert first["spec"]["clusterIP"].startswith("10.96.")
    assert first["spec"]["clusterIPs"] == [first["spec"]["clusterIP"]]
    assert 30000 <= first["spec"]["ports"][0]["nodePort"] <= 32767
    manifest["metadata"]["labels"] = {"tier": "web"}
    second = _apply(services, manifest)
    assert second["spec"]["clusterIP"] == first["spec"]["clusterIP"]
    assert second["spec"]["ports"] == first["spec"]["ports"]
