"""Akua's client (clusters.client, clusters.kubeconfig) over the emulator's HTTPS, as a real
cluster is reached: the CA from the kubeconfig, then a bearer token or a client
certificate; and what a person reads when the TLS side is wrong."""

from __future__ import annotations

import base64

import pytest
import yaml

from clusters import actions
from clusters import kubeconfig as kc
from clusters.client import ApiError, KubeClient, Unreachable


def _client(text: str) -> KubeClient:
    data, contexts = kc.read(text)
    reduced, _ = kc.reduce(data, contexts[0])  # what Akua stores, encrypted
    return KubeClient.from_kubeconfig(reduced, timeout=(2, 5))


@pytest.mark.parametrize("auth", ["token", "certificate"])
def test_the_ca_and_either_credential_work(k8s_emulator, auth):
    text = k8s_emulator.kubeconfig(auth=auth)
    user = yaml.safe_load(text)["users"][0]["user"]
    assert set(user) == (
        {"token"} if auth == "token" else {"client-certificate-data", "client-key-data"}
    )
    client = _client(text)
    try:
        names = [n["metadata"]["name"] for n in client.list("v1", "Namespace")]
        assert "default" in names
        made = client.apply(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": f"via-{auth}", "namespace": "default"},
            }
        )
        assert made["metadata"]["managedFields"][0]["manager"] == "akua"
    finally:
        client.close()


def test_a_cluster_imported_with_a_client_certificate_is_probed(base, k8s_emulator):
    cluster = actions.import_cluster(
        workspace=base.globex,
        name="cert",
        kubeconfig_text=k8s_emulator.kubeconfig(auth="certificate"),
    )
    assert cluster.reachable, cluster.unreachable_reason
    assert cluster.user_name == "emulator-admin"


def test_without_the_ca_the_server_is_not_trusted(k8s_emulator):
    data = yaml.safe_load(k8s_emulator.kubeconfig())
    del data["clusters"][0]["cluster"]["certificate-authority-data"]
    client = _client(yaml.safe_dump(data))
    with pytest.raises(Unreachable) as raised:
        client.get_json("/version")
    assert raised.value.reason.startswith("TLS error:")
    assert "certificate verify failed" in raised.value.reason


def test_a_client_certificate_from_another_ca_is_refused(k8s_emulator):
    from emulators.kubernetes.tls import Authority

    stranger = Authority.generate("someone-else").admin
    data = yaml.safe_load(k8s_emulator.kubeconfig(auth="certificate"))
    data["users"][0]["user"] = {
        "client-certificate-data": base64.b64encode(stranger.cert_pem).decode(),
        "client-key-data": base64.b64encode(stranger.key_pem).decode(),
    }
    client = _client(yaml.safe_dump(data))
    with pytest.raises(Unreachable) as raised:  # the handshake fails (a real server says 401)
        client.get_json("/api/v1/namespaces")
    assert raised.value.reason.startswith("TLS error:")


def test_a_wrong_token_over_https_is_401_in_words(k8s_emulator):
    client = _client(k8s_emulator.kubeconfig().replace(k8s_emulator.token, "wrong"))
    with pytest.raises(ApiError) as raised:
        client.get_json("/api/v1/namespaces")
    assert raised.value.code == 401
    assert "rejected the credentials" in raised.value.words
