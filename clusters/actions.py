"""Every state change of a cluster: import it (kubeconfig stored encrypted) and probe it.

Views, commands and tasks call these. `client_for(cluster)` is how anything talks to a
cluster. What is applied to a cluster for an installation, and the health read back into
its state, is the installations app's (`installations/deploy/`): clusters knows nothing
of installations (DESIGN §1: installations -> clusters).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from akua import crypto
from clusters import kubeconfig as kc
from clusters.client import ClusterError, KubeClient
from clusters.models import Cluster
from clusters.probe import probe

PROBE_INTERVAL = timedelta(minutes=5)


class ClusterActionError(Exception):
    """An action on a cluster cannot be done; the message says why and what to do."""


# -- clusters ------------------------------------------------------------------------------


def client_for(cluster: Cluster) -> KubeClient:
    if not bytes(cluster.kubeconfig_encrypted or b""):
        raise kc.KubeconfigError(f"{cluster} has no kubeconfig; import it again.")
    try:
        text = crypto.decrypt(cluster.kubeconfig_encrypted)
    except crypto.InvalidToken:
        raise kc.KubeconfigError(
            f"The kubeconfig of {cluster} cannot be decrypted (did AKUA_ENCRYPTION_KEY change?)"
        ) from None
    return KubeClient.from_kubeconfig(text)


def import_cluster(
    *, workspace, name: str, kubeconfig_text: str, context: str = "", user=None, is_emulator=False
) -> Cluster:
    """Store a kubeconfig (only `context`, encrypted) and probe it. ValidationError per field."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ["Give the cluster a name."]})
    if Cluster.objects.filter(workspace=workspace, name=name).exists():
        raise ValidationError({"name": [f"{workspace.name} already has a cluster named {name}."]})
    try:
        data, contexts = kc.read(kubeconfig_text)
        chosen = context or (contexts[0] if len(contexts) == 1 else "")
        if not chosen:
            raise ValidationError(
                {"context": ["This kubeconfig has several contexts; choose one."]}
            )
        if chosen not in contexts:
            raise ValidationError({"context": [f'The kubeconfig has no context "{chosen}".']})
        reduced, summary = kc.reduce(data, chosen)
        KubeClient.from_kubeconfig(reduced)  # refuses what the client cannot use
    except kc.KubeconfigError as e:
        raise ValidationError({"kubeconfig": [str(e)]}) from None
    cluster = Cluster.objects.create(
        workspace=workspace,
        name=name,
        kubeconfig_encrypted=crypto.encrypt(kc.dump(reduced)),
        context=summary.context,
        server=summary.server,
        user_name=summary.user_name,
        is_emulator=is_emulator,
        created_by=user,
    )
    probe_cluster(cluster)
    return cluster


def probe_cluster(cluster: Cluster) -> Cluster:
    try:
        client = client_for(cluster)
    except ClusterError as e:
        result_fields = {"reachable": False, "unreachable_reason": str(e)}
    else:
        result = probe(client)
        client.close()
        result_fields = {
            "reachable": result.reachable,
            "unreachable_reason": result.reason,
        }
        if result.reachable:
            result_fields.update(
                server_version=result.server_version,
                api_groups=result.api_groups,
                storage_classes=result.storage_classes,
                ingress_classes=result.ingress_classes,
                node_count=result.node_count,
            )
    result_fields["probed_at"] = timezone.now()
    Cluster.objects.filter(pk=cluster.pk).update(**result_fields)
    for k, v in result_fields.items():
        setattr(cluster, k, v)
    return cluster


def probe_clusters() -> int:
    """The scheduled probe: clusters whose last probe is older than PROBE_INTERVAL, or that
    were unreachable. Returns how many were probed."""
    stale_before = timezone.now() - PROBE_INTERVAL
    count = 0
    for cluster in Cluster.objects.all():
        if cluster.probed_at is None or cluster.probed_at < stale_before or not cluster.reachable:
            probe_cluster(cluster)
            count += 1
    return count
