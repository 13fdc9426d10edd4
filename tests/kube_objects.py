"""Kubernetes objects as the tests write them, for the emulator and the engine: a
Deployment of one container, a CustomResourceDefinition of one version."""

from __future__ import annotations

OPEN_SCHEMA = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}


def deployment(
    name: str = "web",
    *,
    image: str = "nginx:1.27",
    namespace: str | None = None,
    container: dict | None = None,
    pod: dict | None = None,
    **spec,
) -> dict:
    """One container `name` running `image`, its pods labelled app=<name>. `container` and
    `pod` add fields to the container and to the pod's spec, `spec` to the Deployment's."""
    metadata = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            **spec,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "containers": [{"name": name, "image": image, **(container or {})}],
                    **(pod or {}),
                },
            },
        },
    }


def crd(
    kind: str,
    group: str = "example.com",
    *,
    plural: str | None = None,
    scope: str = "Namespaced",
    schema: dict | None = OPEN_SCHEMA,
    names: dict | None = None,
    **version,
) -> dict:
    """The CustomResourceDefinition of `kind` in `group`, served and stored as v1 (its
    plural: kind in lower case + s, unless given). `schema`: the version's openAPIV3Schema
    (open to any field unless given; None for none); `names` adds to the names (shortNames),
    `version` to the version (subresources)."""
    plural = plural or f"{kind.lower()}s"
    served = {"name": "v1", "served": True, "storage": True}
    if schema is not None:
        served["schema"] = {"openAPIV3Schema": schema}
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {
            "group": group,
            "scope": scope,
            "names": {"kind": kind, "plural": plural, "singular": kind.lower(), **(names or {})},
            "versions": [{**served, **version}],
        },
    }


def manifest(api_version: str, kind: str, name: str, *, namespace: str | None = None, **fields):
    """An object of `kind` named `name` (in `namespace` when given), with its other top-level
    fields (`spec`, `data`, …)."""
    metadata = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, **fields}


def claim(name: str, storage: str, *, storage_class: str | None = None, namespace=None) -> dict:
    """A PersistentVolumeClaim of `storage`, ReadWriteOnce, of `storage_class` when given."""
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": storage}}}
    if storage_class:
        spec["storageClassName"] = storage_class
    return manifest("v1", "PersistentVolumeClaim", name, namespace=namespace, spec=spec)
