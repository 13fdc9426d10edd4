"""django-q2 tasks of clusters: thin wrappers that take IDs and call clusters.actions.

The probe schedule (`clusters.tasks.probe_clusters`, every minute; it probes clusters whose
last probe is older than 5 minutes or that were unreachable) is created by migration
clusters/0003 (django-q2 schedules have minute granularity).
"""

from __future__ import annotations


def probe_clusters() -> int:
    from clusters.actions import probe_clusters as run

    return run()


def probe_cluster(cluster_id: str) -> None:
    from clusters.actions import probe_cluster as probe
    from clusters.models import Cluster

    cluster = Cluster.objects.filter(pk=cluster_id).first()
    if cluster is not None:
        probe(cluster)
