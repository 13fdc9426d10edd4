"""What a fresh kind-like cluster has: its namespaces, nodes, a default StorageClass and a
default IngressClass."""

from __future__ import annotations

from .api import VERSION


def seed(emulator) -> None:
    def create(api_version: str, kind: str, obj: dict) -> None:
        rt = emulator.registry.by_kind(api_version, kind)
        emulator.store.system_create(rt, {"apiVersion": api_version, "kind": kind, **obj})

    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        create("v1", "Namespace", {"metadata": {"name": ns}})
    for i in range(1, emulator.nodes + 1):
        create("v1", "Node", _node(i))
    create(
        "storage.k8s.io/v1",
        "StorageClass",
        {
            "metadata": {
                "name": "standard",
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
            },
            "provisioner": "rancher.io/local-path",
            "reclaimPolicy": "Delete",
            "volumeBindingMode": "Immediate",
        },
    )
    create(
        "networking.k8s.io/v1",
        "IngressClass",
        {
            "metadata": {
                "name": "nginx",
                "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"},
            },
            "spec": {"controller": "k8s.io/ingress-nginx"},
        },
    )


def _node(i: int) -> dict:
    return {
        "metadata": {
            "name": f"emulator-node-{i}",
            "labels": {
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": f"emulator-node-{i}",
            },
        },
        "spec": {},
        "status": {
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}],
            "addresses": [
                {"type": "InternalIP", "address": f"172.18.0.{i + 1}"},
                {"type": "Hostname", "address": f"emulator-node-{i}"},
            ],
            "capacity": {"cpu": "8", "memory": "16Gi", "pods": "110"},
            "allocatable": {"cpu": "8", "memory": "16Gi", "pods": "110"},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": f"00000000-0000-4000-8000-00000000000{i}",
                "containerRuntimeVersion": "containerd://1.7.24",
                "kernelVersion": "6.8.0-emulator",
                "kubeProxyVersion": VERSION["gitVersion"],
                "kubeletVersion": VERSION["gitVersion"],
                "machineID": f"emulator{i:024d}",
                "operatingSystem": "linux",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "systemUUID": f"00000000-0000-4000-8000-00000000010{i}",
            },
        },
    }
