"""clusters.inventory.observe against the emulator: a Job the cluster removed after it
finished is not missing; drift is what a dry-run apply would change."""

from __future__ import annotations

from clusters.apply import ApplyOptions, apply_objects
from clusters.client import KubeClient, ObjectRef
from clusters.health import HealthStatus
from clusters.inventory import observe
from emulators.kubernetes import eventually
from tests import kube_objects

JOB = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": {"name": "once"},
    "spec": {
        "ttlSecondsAfterFinished": 0,
        "template": {
            "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x:1"}]}
        },
    },
}


def _client(emulator):
    return KubeClient.from_kubeconfig(emulator.kubeconfig())


def test_a_job_removed_after_it_finished_is_healthy_a_missing_object_is_not(k8s_emulator):
    client = _client(k8s_emulator)
    [entry] = apply_objects(client, [JOB], ApplyOptions("default", owner="inst_1")).entries
    eventually(lambda: k8s_emulator.get("Job", "once", "default") is None, what="job removed")
    gone_job, gone_map = observe(
        client,
        [
            (entry.ref, entry.applied),
            (ObjectRef("v1", "ConfigMap", "default", "never"), {"data": {}}),
        ],
        manager="akua-inst_1",
    )
    assert gone_job.status is HealthStatus.HEALTHY
    assert gone_job.message == "Finished and removed by the cluster (ttlSecondsAfterFinished)"
    assert gone_map.status is HealthStatus.DEGRADED


def test_drift_is_what_the_server_would_change(k8s_emulator):
    client = _client(k8s_emulator)
    pod = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "c"},
        "data": {"a": "1"},
    }
    requests = {"cpu": "1000m", "memory": "524288000"}
    deployment = kube_objects.deployment(
        image="x:1", container={"resources": {"requests": requests}}
    )
    options = ApplyOptions("default", owner="inst_1")
    entries = apply_objects(client, [pod, deployment], options).entries
    observed = observe(client, [(e.ref, e.applied) for e in entries], manager="akua-inst_1")
    assert [o.drift for o in observed] == [[], []]  # `1000m` is stored as `1`: no drift
    k8s_emulator.dynamic_client().resources.get(api_version="v1", kind="ConfigMap").patch(
        name="c",
        namespace="default",
        body={"data": {"a": "2"}},
        content_type="application/merge-patch+json",
        field_manager="someone",
    )
    observed = observe(client, [(e.ref, e.applied) for e in entries], manager="akua-inst_1")
    assert observed[0].drift == [
        {"path": "data.a", "applied": "1", "live": "2", "manager": "someone"}
    ]
    assert observed[1].drift == []
