"""Whether a namespace holds anything besides what is being removed: `others_in`.

A namespace Akua created for an installation is deleted only when nothing else is in it
(deleting a namespace deletes everything in it, including what other installations or
people put there). "Anything else" is every object of every namespaced kind the cluster
lists, except:

- objects with an owner (`metadata.ownerReferences`: a Deployment's ReplicaSets and Pods,
  a Service's EndpointSlices), which go with their owner;
- what Kubernetes puts in every namespace or derives from other objects: the `default`
  ServiceAccount, the `kube-root-ca.crt` ConfigMap, Events, Endpoints;
- objects being deleted, and those the caller just deleted (`ignore`).
"""

from __future__ import annotations

from clusters.client import ApiError, KubeClient, ObjectRef

_DERIVED_KINDS = {"Event", "Endpoints"}
_EVERY_NAMESPACE = {("ServiceAccount", "default"), ("ConfigMap", "kube-root-ca.crt")}


def others_in(client: KubeClient, namespace: str, *, ignore=frozenset()) -> list[str]:
    """Subjects (`Kind/namespace/name`) of the objects that keep `namespace` in use."""
    found = []
    for resource in client.namespaced_resources():
        if resource.kind in _DERIVED_KINDS:
            continue
        base = "/api/v1" if resource.group_version == "v1" else f"/apis/{resource.group_version}"
        try:
            items = client.get_json(f"{base}/namespaces/{namespace}/{resource.plural}").get(
                "items", []
            )
        except ApiError as e:
            if e.code in (403, 404, 405):
                continue
            raise
        for item in items:
            meta = item.get("metadata") or {}
            name = meta.get("name", "")
            ref = ObjectRef(resource.group_version, resource.kind, namespace, name)
            if (
                meta.get("ownerReferences")
                or meta.get("deletionTimestamp")
                or (resource.kind, name) in _EVERY_NAMESPACE
                or ref in ignore
                or any(
                    r.kind == ref.kind and r.namespace == namespace and r.name == name
                    for r in ignore
                )
            ):
                continue
            found.append(ref.subject)
    return found
