"""The defaults a real API server applies on every write, so a manifest read back looks as
it would from a cluster and a server-side dry-run sees no difference a real one would not.

`apply(rt, obj)` is defaulting (the `SetDefaults_*` functions of each API group): it fills
only what is missing and runs before field ownership is recorded, so a creator or updater
owns the defaults, and an applier does not (it owns exactly what it applied). `admit(...)`
is what the registry and admission plugins add afterwards (cluster IPs, node ports, a
Job's selector, a PVC's default StorageClass): owned by nobody. The full list is in
emulators/kubernetes/README.md.
"""

from __future__ import annotations

from collections.abc import Callable

from . import admission, others, pods, workloads

_DEFAULTS: dict[tuple[str, str], Callable[[dict], None]] = {
    ("", "Pod"): pods.pod,
    ("", "PodTemplate"): others.pod_template,
    ("", "ReplicationController"): others.replication_controller,
    ("", "Service"): others.service,
    ("", "Secret"): others.secret,
    ("", "Namespace"): others.namespace,
    ("", "PersistentVolume"): others.persistent_volume,
    ("", "PersistentVolumeClaim"): others.persistent_volume_claim,
    ("", "Endpoints"): others.endpoints,
    ("", "LimitRange"): others.limit_range,
    ("apps", "Deployment"): workloads.deployment,
    ("apps", "ReplicaSet"): workloads.replica_set,
    ("apps", "StatefulSet"): workloads.stateful_set,
    ("apps", "DaemonSet"): workloads.daemon_set,
    ("batch", "Job"): workloads.job,
    ("batch", "CronJob"): workloads.cron_job,
    ("autoscaling", "HorizontalPodAutoscaler"): workloads.horizontal_pod_autoscaler,
    ("discovery.k8s.io", "EndpointSlice"): others.endpoint_slice,
    ("networking.k8s.io", "NetworkPolicy"): others.network_policy,
    ("networking.k8s.io", "Ingress"): others.ingress,
    ("rbac.authorization.k8s.io", "RoleBinding"): others.role_binding,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): others.role_binding,
    ("scheduling.k8s.io", "PriorityClass"): others.priority_class,
    ("storage.k8s.io", "StorageClass"): others.storage_class,
    ("storage.k8s.io", "CSIDriver"): others.csi_driver,
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"): lambda o: (
        others.webhook_configuration(o, mutating=False)
    ),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"): lambda o: (
        others.webhook_configuration(o, mutating=True)
    ),
    ("apiregistration.k8s.io", "APIService"): others.api_service,
    ("apiextensions.k8s.io", "CustomResourceDefinition"): others.custom_resource_definition,
}


def apply(rt, obj: dict) -> None:
    """Fill in the defaults of a built-in kind, in place (custom resources have none here)."""
    if rt.builtin and (fill := _DEFAULTS.get((rt.group, rt.kind))):
        fill(obj)


def admit(rt, obj: dict, old: dict | None, default_storage_class: Callable[[], str | None]):
    """Server-set fields on create (`old` None) and update, in place."""
    if not rt.builtin:
        return
    key = (rt.group, rt.kind)
    if key == ("", "Service"):
        admission.service(obj, old)
    elif old is None and key == ("batch", "Job"):
        admission.job(obj)
    elif old is None and key == ("", "PersistentVolumeClaim"):
        admission.persistent_volume_claim(obj, default_storage_class)
    elif old is None and key == ("", "Pod"):
        admission.pod(obj)
    elif key == ("", "Namespace"):
        admission.namespace(obj)
