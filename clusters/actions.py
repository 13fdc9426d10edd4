"""Every state change of a cluster: import it (kubeconfig stored encrypted) and probe it.

Views, commands and tasks call these. `client_for(cluster)` is how anything talks to a
cluster (with AKUA_CLUSTER_ALLOW_PRIVATE off, every connection checks its address:
clusters.addresses). Import probes first and keeps nothing when the server is refused (not
a Kubernetes API server, or an address not allowed). A probe records any failure on its
cluster, so one cluster can never stop the scheduled probe of the others. What is applied
to a cluster for an installation, and the health read back into its state, is the
installations app's (`installations/deploy/`): clusters knows nothing
of installations (DESIGN §1: installations -> clusters).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from akua import crypto
from akua.db import unique_or
from clusters import kubeconfig as kc
from clusters.addresses import AddressNotAllowed, check_server
from clusters.client import ClusterError, KubeClient
from clusters.models import Cluster
from clusters.probe import ProbeResult, probe

logger = logging.getLogger(__name__)

PROBE_INTERVAL = timedelta(minutes=5)
PROBE_FAILED = "The probe failed unexpectedly; the error is in the server log."


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
    return KubeClient.from_kubeconfig(text, allow_private=settings.CLUSTER_ALLOW_PRIVATE)


def kubeconfig_fields(reduced: dict, summary: kc.Summary) -> dict:
    """What a Cluster row keeps of a kubeconfig reduced to one context: all of it encrypted,
    and the names it shows again."""
    return {
        "kubeconfig_encrypted": crypto.encrypt(kc.dump(reduced)),
        "context": summary.context,
        "server": summary.server,
        "user_name": summary.user_name,
    }


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
        allow_private = settings.CLUSTER_ALLOW_PRIVATE
        if not allow_private:
            check_server(summary.server)
        # refuses what the client cannot use
        client = KubeClient.from_kubeconfig(reduced, allow_private=allow_private)
    except AddressNotAllowed as e:
        raise ValidationError({"kubeconfig": [str(e)]}) from None
    except kc.KubeconfigError as e:
        raise ValidationError({"kubeconfig": [str(e)]}) from None
    result = _probe(client, summary.server)
    if result.not_kubernetes:
        raise ValidationError(
            {"kubeconfig": [f"{result.reason} Check the server URL of the kubeconfig."]}
        )
    # the same name, imported meanwhile
    with unique_or(
        ValidationError({"name": [f"{workspace.name} already has a cluster named {name}."]})
    ):
        cluster = Cluster.objects.create(
            workspace=workspace,
            name=name,
            **kubeconfig_fields(reduced, summary),
            is_emulator=is_emulator,
            created_by=user,
        )
        _record(cluster, _fields(result))
    return cluster


def _probe(client: KubeClient, what) -> ProbeResult:
    """`probe(client)`, closing it; an unexpected failure is logged and a result too."""
    try:
        return probe(client)
    except Exception:
        logger.exception("probing %s failed", what)
        return ProbeResult(False, PROBE_FAILED)
    finally:
        client.close()


def _fields(result: ProbeResult) -> dict:
    fields = {"reachable": result.reachable, "unreachable_reason": result.reason}
    if result.reachable:
        fields.update(
            server_version=result.server_version,
            api_groups=result.api_groups,
            storage_classes=result.storage_classes,
            ingress_classes=result.ingress_classes,
            node_count=result.node_count,
        )
    return fields


def _record(cluster: Cluster, fields: dict) -> Cluster:
    fields["probed_at"] = timezone.now()
    Cluster.objects.filter(pk=cluster.pk).update(**fields)
    for k, v in fields.items():
        setattr(cluster, k, v)
    return cluster


def probe_cluster(cluster: Cluster) -> Cluster:
    """Probe one cluster and record the result (a failure of any kind included) on it."""
    try:
        client = client_for(cluster)
    except ClusterError as e:
        return _record(cluster, {"reachable": False, "unreachable_reason": str(e)})
    except Exception:
        logger.exception("the kubeconfig of cluster %s cannot be used", cluster.pk)
        return _record(cluster, {"reachable": False, "unreachable_reason": PROBE_FAILED})
    return _record(cluster, _fields(_probe(client, cluster.pk)))


def probe_clusters() -> int:
    """The scheduled probe: clusters whose last probe is older than PROBE_INTERVAL, or that
    were unreachable, each on its own: one that fails, however, never stops the others.
    Returns how many were probed."""
    stale_before = timezone.now() - PROBE_INTERVAL
    count = 0
    for cluster in Cluster.objects.all():
        if cluster.probed_at is None or cluster.probed_at < stale_before or not cluster.reachable:
            try:
                probe_cluster(cluster)
            except Exception:  # recording failed too (the database?): log, go on
                logger.exception("probing cluster %s failed", cluster.pk)
            count += 1
    return count
