"""clusters.apply and clusters.prune against the emulator, without Django models."""

from __future__ import annotations

from clusters.apply import ApplyOptions, apply_objects, config_hash, prepare
from clusters.client import KubeClient, ObjectRef
from clusters.prune import Stale, deletion_order, prune
from tests.kube_objects import crd

CRD = crd("Widget")
WIDGET = {
    "apiVersion": "example.com/v1",
    "kind": "Widget",
    "metadata": {"name": "w"},
    "spec": {"size": 3},
}
CM = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"a": "1"}}
DEPLOYMENT_SPEC = {
    "selector": {"matchLabels": {"app": "web"}},
    "template": {
        "metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
    },
}


def _owner(installation_id: str) -> dict:
    """Options that apply as the owner `installation_id` (tracking id, label, field manager)."""
    return {"owner": installation_id}


def _client(emulator):
    return KubeClient.from_kubeconfig(emulator.kubeconfig())


def test_crds_and_namespaces_go_first_and_their_objects_follow(k8s_emulator):
    client = _client(k8s_emulator)
    options = ApplyOptions(namespace="team", **_owner("inst_1"))
    changes = apply_objects(client, [WIDGET, CM, CRD], options)
    assert changes.ok, changes.entries
    assert [e.subject for e in changes.entries] == [
        "Namespace/team",
        "CustomResourceDefinition/widgets.example.com",
        "ConfigMap/team/cm",
        "Widget/team/w",
    ]
    assert (
        k8s_emulator.get("Widget", "w", "team")["metadata"]["labels"]["akua.dev/installation"]
        == "inst_1"
    )


def test_the_same_apply_again_sends_nothing(k8s_emulator):
    client = _client(k8s_emulator)
    options = ApplyOptions(namespace="default", **_owner("inst_1"))
    first = apply_objects(client, [CM], options)
    previous = {e.ref: e.applied_hash for e in first.entries}
    before = k8s_emulator.request_count("apply")
    again = apply_objects(client, [CM], options, previous)
    assert [e.action for e in again.entries] == ["unchanged"]
    assert k8s_emulator.request_count("apply") == before


def test_an_unknown_kind_fails_that_object_only(k8s_emulator):
    client = _client(k8s_emulator)
    changes = apply_objects(client, [WIDGET, CM], ApplyOptions("default", **_owner("inst_1")))
    assert [(e.ref.kind, e.action) for e in changes.entries] == [
        ("ConfigMap", "created"),
        ("Widget", "failed"),
    ]
    assert "CustomResourceDefinition" in changes.entries[1].message


def test_the_rest_goes_in_helms_install_order_of_kinds(k8s_emulator):
    """As `helm install`: an account and its RBAC before the Deployment that runs as it, the
    webhook configuration (a kind Helm does not list) after the Service it calls; manifest
    order within a kind. Before, a chart's template paths decided (a webhook in
    `admission-webhooks/` came first and, failing closed, could refuse what followed)."""

    def obj(api, kind, name, **extra):
        return {"apiVersion": api, "kind": kind, "metadata": {"name": name}, **extra}

    objects = [
        obj("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "hook"),
        obj("v1", "ConfigMap", "b"),
        obj("apps/v1", "Deployment", "web", spec=DEPLOYMENT_SPEC),
        obj("rbac.authorization.k8s.io/v1", "Role", "web"),
        obj("v1", "Service", "web", spec={"ports": [{"port": 80}]}),
        obj("v1", "ServiceAccount", "web"),
        obj("v1", "ConfigMap", "a"),
    ]
    changes = apply_objects(_client(k8s_emulator), objects, ApplyOptions("web", **_owner("i")))
    assert changes.ok, changes.entries
    assert [e.subject for e in changes.entries] == [
        "Namespace/web",
        "ServiceAccount/web/web",
        "ConfigMap/web/b",
        "ConfigMap/web/a",
        "Role/web/web",
        "Service/web/web",
        "Deployment/web/web",
        "ValidatingWebhookConfiguration/hook",
    ]


def test_prepare_drops_the_namespace_of_cluster_scoped_objects(k8s_emulator):
    client = _client(k8s_emulator)
    obj = prepare(
        {**CRD, "metadata": {"name": "x", "namespace": "oops"}},
        ApplyOptions("n", **_owner("i")),
        client,
    )
    assert "namespace" not in obj["metadata"]
    assert config_hash(obj) == config_hash(dict(obj))


def test_prune_deletes_in_reverse_namespaces_last_and_keeps_annotated(k8s_emulator):
    client = _client(k8s_emulator)
    kept = {**CM, "metadata": {"name": "kept", "annotations": {"akua.dev/prune": "disabled"}}}
    changes = apply_objects(client, [CM, kept], ApplyOptions("team", **_owner("inst_1")))
    stale = [Stale(e.ref, e.prune_disabled, e.ownership) for e in changes.entries]
    results = prune(client, stale, "inst_1")
    assert [(r.subject, r.action) for r in results] == [
        ("ConfigMap/team/kept", "skipped"),
        ("ConfigMap/team/cm", "deleted"),
        ("Namespace/team", "skipped"),  # the kept ConfigMap is still in it
    ]
    assert results[-1].message == "Kept: other objects are in it (ConfigMap/team/kept)"
    results = prune(
        client,
        [Stale(e.ref, e.prune_disabled, e.ownership) for e in changes.entries[1:2]],
        "inst_1",
    )
    assert [(r.subject, r.action) for r in results] == [("ConfigMap/team/cm", "deleted")]


def test_prune_keeps_what_another_installation_took_over(k8s_emulator):
    client = _client(k8s_emulator)
    apply_objects(client, [CM], ApplyOptions("default", **_owner("inst_2")))
    [result] = prune(client, [Stale(ObjectRef("v1", "ConfigMap", "default", "cm"))], "inst_1")
    assert result.action == "skipped" and "no longer belongs" in result.message


def test_deletion_order():
    refs = [
        ObjectRef("v1", k, "", n)
        for k, n in [
            ("Namespace", "a"),
            ("CustomResourceDefinition", "b"),
            ("ConfigMap", "c"),
            ("Service", "d"),
        ]
    ]
    order = [s.ref.name for s in deletion_order([Stale(r) for r in refs])]
    assert order == ["d", "c", "b", "a"]


def test_objects_applied_before_tracking_ids_are_taken_over_once(k8s_emulator):
    """Applied with the field manager every installation shared and the owner label only:
    the owner's inventory vouches for it; its apply takes the fields over (with force)."""
    client = _client(k8s_emulator)
    legacy = ApplyOptions("default", labels={"akua.dev/installation": "inst_1"}, manager="akua")
    apply_objects(client, [CM], legacy)
    changed = {**CM, "data": {"a": "2"}}
    ref = ObjectRef("v1", "ConfigMap", "default", "cm")
    # not in the inventory: an object that was there before, left alone
    [entry] = apply_objects(client, [changed], ApplyOptions("default", owner="inst_1")).entries
    assert (entry.action, entry.ownership) == ("skipped", "existing")
    options = ApplyOptions("default", owner="inst_1", known=frozenset({ref}))
    [entry] = apply_objects(client, [changed], options).entries
    assert (entry.action, entry.ownership) == ("configured", "owned")
    live = k8s_emulator.get("ConfigMap", "cm", "default")
    assert live["data"] == {"a": "2"}
    assert live["metadata"]["annotations"]["akua.dev/tracking-id"] == "inst_1:/ConfigMap:default/cm"
    assert "akua-inst_1" in {m["manager"] for m in live["metadata"]["managedFields"]}


def test_an_object_without_api_version_is_said_so(k8s_emulator):
    """A template whose `{{- if … -}}` trim glues `apiVersion:` onto a comment renders an
    object without one: the message says so, not that the cluster does not serve the kind."""
    client = _client(k8s_emulator)
    options = ApplyOptions(namespace="default", **_owner("inst_1"))
    role = {"kind": "ClusterRole", "metadata": {"name": "app:approve"}, "rules": []}
    changes = apply_objects(client, [role, CM], options)
    failed = {e.subject: e.message for e in changes.entries if e.action == "failed"}
    assert failed["ClusterRole/app:approve"].startswith(
        "ClusterRole has no apiVersion (apiVersion not set)"
    )
    assert "does not serve" not in failed["ClusterRole/app:approve"]


def test_a_namespace_still_being_deleted_is_waited_for_then_made_afresh(k8s_emulator):
    """Delete an installation, install one of the same name: its namespace is still
    Terminating (the cluster empties it first). Before, the apply failed on every object
    ("being terminated"); now it waits until the namespace is gone and creates it."""
    client = _client(k8s_emulator)
    options = ApplyOptions(namespace="team", **_owner("inst_1"))
    assert apply_objects(client, [CM], options).ok
    ref = ObjectRef("v1", "Namespace", "", "team")
    client.delete(ref)
    assert client.get(ref)["metadata"].get("deletionTimestamp")
    again = apply_objects(client, [CM], ApplyOptions(namespace="team", **_owner("inst_2")))
    assert again.ok, again.entries
    assert [(e.subject, e.action) for e in again.entries] == [
        ("Namespace/team", "created"),
        ("ConfigMap/team/cm", "created"),
    ]
    assert not client.get(ref)["metadata"].get("deletionTimestamp")
