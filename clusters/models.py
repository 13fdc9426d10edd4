"""Cluster: a kubeconfig (Fernet-encrypted; only server, context and user name are shown
again) and the last probe (reachability, version, API groups, storage/ingress classes,
nodes), with when it was read.

What was applied to a cluster for an installation (ApplyResult, InventoryEntry) is the
installations app's (`installations/models/apply.py`).
"""

from __future__ import annotations

from functools import partial

from django.db import models

from akua.ids import new_id
from akua.models import NamedInWorkspace, person, prefixed_id

new_cluster_id = partial(new_id, "cl")


class Cluster(NamedInWorkspace):
    id = prefixed_id(new_cluster_id, max_length=32)
    workspace = models.ForeignKey(
        "catalog.Workspace", on_delete=models.PROTECT, related_name="clusters"
    )
    name = models.CharField(max_length=100)
    # The kubeconfig, reduced to the chosen context, Fernet-encrypted (akua.crypto).
    kubeconfig_encrypted = models.BinaryField(default=b"", editable=False)
    context = models.CharField(max_length=200, blank=True)
    server = models.CharField(max_length=500, blank=True)
    user_name = models.CharField(max_length=200, blank=True)
    is_emulator = models.BooleanField(
        default=False, help_text="The in-process Kubernetes API emulator, not a real cluster."
    )
    # The last probe.
    reachable = models.BooleanField(null=True)
    unreachable_reason = models.TextField(blank=True)
    server_version = models.CharField(max_length=100, blank=True)
    api_groups = models.JSONField(default=list, blank=True)
    storage_classes = models.JSONField(default=list, blank=True)
    ingress_classes = models.JSONField(default=list, blank=True)
    node_count = models.PositiveIntegerField(null=True, blank=True)
    probed_at = models.DateTimeField(null=True, blank=True)
    created_by = person()
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def display_name(self) -> str:
        return f"{self.name} — Emulator (not a real cluster)" if self.is_emulator else self.name
