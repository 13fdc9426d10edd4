"""Clusters an installation can run on. Only the identity exists yet; see the clusters issue."""

from __future__ import annotations

from django.db import models

from akua.ids import new_id


def new_cluster_id() -> str:
    return new_id("cl")


class Cluster(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_cluster_id, editable=False)
    workspace = models.ForeignKey(
        "catalog.Workspace", on_delete=models.PROTECT, related_name="clusters"
    )
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
