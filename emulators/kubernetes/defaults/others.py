"""Defaults of the other built-in kinds: core (Service, Secret, Namespace, volumes, ...),
networking, RBAC, scheduling, storage, admission registration and API registration."""

from __future__ import annotations

from .pods import _dict, _items, claim_spec, on_spec, template


def service(obj: dict) -> None:
    spec = obj.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    spec.setdefault("sessionAffinity", "None")
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        client_ip = (_dict(spec, "sessionAffinityConfig") or {}).get("clientIP") or {}
        if client_ip.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10800}}
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    for port in _items(spec, "ports"):
        port.setdefault("protocol", "TCP")
        if port.get("targetPort") in (None, 0, "") and "port" in port:
            port["targetPort"] = port["port"]
    kind = spec["type"]
    if kind in ("NodePort", "LoadBalancer"):
        spec.setdefault("externalTrafficPolicy", "Cluster")
    if kind in ("NodePort", "LoadBalancer", "ClusterIP"):
        spec.setdefault("internalTrafficPolicy", "Cluster")
    if kind == "LoadBalancer":
        spec.setdefault("allocateLoadBalancerNodePorts", True)
    _load_balancer_status(obj)


def _load_balancer_status(obj: dict) -> None:
    """`status.loadBalancer` is a struct, always written (empty until an address comes)."""
    status = obj.get("status")
    if isinstance(status, dict):
        status.setdefault("loadBalancer", {})


def ingress(obj: dict) -> None:
    _load_balancer_status(obj)


def secret(obj: dict) -> None:
    if not obj.get("type"):
        obj["type"] = "Opaque"


def namespace(obj: dict) -> None:
    meta = obj.setdefault("metadata", {})
    name = meta.get("name")
    if name:
        labels = meta.get("labels")
        meta["labels"] = {**(labels or {}), "kubernetes.io/metadata.name": name}
    status = obj.setdefault("status", {})
    if isinstance(status, dict):
        status.setdefault("phase", "Active")


def persistent_volume(obj: dict) -> None:
    spec = _dict(obj, "spec")
    if spec is not None:
        spec.setdefault("persistentVolumeReclaimPolicy", "Retain")
        spec.setdefault("volumeMode", "Filesystem")
    status = obj.setdefault("status", {})
    if isinstance(status, dict):
        status.setdefault("phase", "Pending")


def persistent_volume_claim(obj: dict) -> None:
    claim_spec(_dict(obj, "spec"))
    status = obj.setdefault("status", {})
    if isinstance(status, dict):
        status.setdefault("phase", "Pending")


def endpoints(obj: dict) -> None:
    for subset in _items(obj, "subsets"):
        for port in _items(subset, "ports"):
            port.setdefault("protocol", "TCP")


def endpoint_slice(obj: dict) -> None:
    for port in _items(obj, "ports"):
        port.setdefault("protocol", "TCP")
        port.setdefault("name", "")


def replication_controller(obj: dict) -> None:
    spec = _dict(obj, "spec")
    if spec is None:
        return
    labels = ((_dict(spec, "template") or {}).get("metadata") or {}).get("labels")
    if labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        meta = obj.setdefault("metadata", {})
        if not meta.get("labels"):
            meta["labels"] = dict(labels)
    spec.setdefault("replicas", 1)
    template(spec)


def pod_template(obj: dict) -> None:
    template(obj)


def limit_range(obj: dict) -> None:
    for item in _items(_dict(obj, "spec") or {}, "limits"):
        if item.get("type") != "Container":
            continue
        maximum = _dict(item, "max") or {}
        default = item.setdefault("default", {})
        for name, value in maximum.items():
            default.setdefault(name, value)
        request = item.setdefault("defaultRequest", {})
        for name, value in {**(_dict(item, "min") or {}), **default}.items():
            request.setdefault(name, value)
        for key in ("default", "defaultRequest"):
            if not item[key]:
                del item[key]


@on_spec
def network_policy(spec: dict) -> None:
    for direction in ("ingress", "egress"):
        for rule in _items(spec, direction):
            for port in _items(rule, "ports"):
                port.setdefault("protocol", "TCP")
    if not spec.get("policyTypes"):
        spec["policyTypes"] = ["Ingress"] + (["Egress"] if spec.get("egress") else [])


def role_binding(obj: dict) -> None:
    role_ref = _dict(obj, "roleRef")
    if role_ref is not None and not role_ref.get("apiGroup"):
        role_ref["apiGroup"] = "rbac.authorization.k8s.io"
    for subject in _items(obj, "subjects"):
        if "apiGroup" not in subject:
            if subject.get("kind") == "ServiceAccount":
                subject["apiGroup"] = ""
            elif subject.get("kind") in ("User", "Group"):
                subject["apiGroup"] = "rbac.authorization.k8s.io"


def priority_class(obj: dict) -> None:
    obj.setdefault("preemptionPolicy", "PreemptLowerPriority")


def storage_class(obj: dict) -> None:
    obj.setdefault("reclaimPolicy", "Delete")
    obj.setdefault("volumeBindingMode", "Immediate")


@on_spec
def csi_driver(spec: dict) -> None:
    spec.setdefault("attachRequired", True)
    spec.setdefault("podInfoOnMount", False)
    spec.setdefault("storageCapacity", False)
    spec.setdefault("fsGroupPolicy", "ReadWriteOnceWithFSType")
    spec.setdefault("requiresRepublish", False)
    spec.setdefault("seLinuxMount", False)
    if not spec.get("volumeLifecycleModes"):
        spec["volumeLifecycleModes"] = ["Persistent"]


def _service_reference(client_config: dict | None) -> None:
    service_ref = _dict(client_config or {}, "service")
    if service_ref is not None:
        service_ref.setdefault("port", 443)


def webhook_configuration(obj: dict, mutating: bool) -> None:
    for hook in _items(obj, "webhooks"):
        hook.setdefault("failurePolicy", "Fail")
        hook.setdefault("matchPolicy", "Equivalent")
        if hook.get("namespaceSelector") is None:
            hook["namespaceSelector"] = {}
        if hook.get("objectSelector") is None:
            hook["objectSelector"] = {}
        hook.setdefault("timeoutSeconds", 10)
        if mutating:
            hook.setdefault("reinvocationPolicy", "Never")
        for rule in _items(hook, "rules"):
            rule.setdefault("scope", "*")
        _service_reference(_dict(hook, "clientConfig"))


@on_spec
def api_service(spec: dict) -> None:
    service_ref = _dict(spec, "service")
    if service_ref is not None:
        service_ref.setdefault("port", 443)


@on_spec
def custom_resource_definition(spec: dict) -> None:
    names = _dict(spec, "names")
    if names is not None and names.get("kind"):
        names.setdefault("singular", names["kind"].lower())
        names.setdefault("listKind", names["kind"] + "List")
    if spec.get("conversion") is None:
        spec["conversion"] = {"strategy": "None"}
