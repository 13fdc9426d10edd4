"""clusters.kubeconfig: contexts listed, one kept, files and programs refused."""

from __future__ import annotations

import pytest
import yaml

from clusters import kubeconfig as kc
from clusters.client import KubeconfigError


def _config(user: dict, cluster: dict | None = None, contexts=("a", "b"), current="b") -> str:
    return yaml.safe_dump(
        {
            "clusters": [
                {"name": "c", "cluster": cluster or {"server": "https://k8s.example:6443"}}
            ],
            "users": [{"name": "u", "user": user}],
            "contexts": [
                {"name": n, "context": {"cluster": "c", "user": "u", "namespace": n}}
                for n in contexts
            ],
            "current-context": current,
        }
    )


def test_contexts_are_listed_current_first():
    _data, names = kc.read(_config({"token": "t"}))
    assert names == ["b", "a"]


def test_reduce_keeps_one_context_and_summarises_it():
    data, _ = kc.read(_config({"token": "t"}))
    reduced, summary = kc.reduce(data, "a")
    assert [c["name"] for c in reduced["contexts"]] == ["a"]
    assert reduced["current-context"] == "a"
    assert summary == kc.Summary("a", "https://k8s.example:6443", "u", "a")


@pytest.mark.parametrize(
    ("user", "cluster", "words"),
    [
        ({"exec": {"command": "aws"}}, None, "does not run programs"),
        ({"auth-provider": {"name": "gcp"}}, None, "does not run programs"),
        ({"client-certificate": "/etc/x.crt"}, None, "cannot read files"),
        ({"tokenFile": "/var/run/token"}, None, "token file"),
        (
            {"token": "t"},
            {"server": "https://x", "certificate-authority": "/ca"},
            "cannot read files",
        ),
        ({"token": "t"}, {"insecure-skip-tls-verify": True}, "no server URL"),
    ],
)
def test_what_akua_refuses(user, cluster, words):
    data, _ = kc.read(_config(user, cluster))
    with pytest.raises(KubeconfigError, match=words):
        kc.reduce(data, "a")


@pytest.mark.parametrize("text", ["", "a: [", "just text", "{apiVersion: v1}"])
def test_not_a_kubeconfig(text):
    with pytest.raises(KubeconfigError):
        kc.read(text)
