"""Two installations of one chart on one cluster, as `helm install a -n x` and `helm install b
-n y`: each lands in its own namespace under its own release name, both get healthy, and
each uninstall removes only its own objects."""

from __future__ import annotations

from emulators.kubernetes import eventually
from installations.actions import delete_installation
from installations.deploy.monitor import check_health
from installations.models import ApplyResult
from tests.clusters.akua_fixtures import CHART_PACKAGE_K


def _healthy(inst):
    inst.refresh_from_db()
    return check_health(inst) == "healthy"


def _webhooks(chart_version, install, cluster, *places: tuple[str, str]) -> list:
    """The webhook chart installed on the cluster once per (name, namespace), each healthy."""
    version = chart_version("webhook")
    made = [install(version, name, cluster=cluster, namespace=ns) for name, ns in places]
    for inst in made:
        eventually(lambda inst=inst: _healthy(inst), what=f"{inst.name} healthy")
    return made


def _names(emulator, kind, namespace=None):
    return sorted(
        o["metadata"]["name"]
        for o in emulator.objects(kind)
        if namespace is None or o["metadata"].get("namespace") == namespace
    )


def test_two_installations_of_one_chart_live_side_by_side(
    chart_version, cluster, install, k8s_emulator, base
):
    alpha, beta = _webhooks(
        chart_version, install, cluster, ("Alpha", "team-a"), ("beta", "team-b")
    )
    for inst in (alpha, beta):
        assert ApplyResult.objects.get(installation=inst).state == "applied"

    # namespaced objects in each installation's namespace, named for its release
    assert _names(k8s_emulator, "Deployment", "team-a") == ["alpha-webhook"]
    assert _names(k8s_emulator, "Deployment", "team-b") == ["beta-webhook"]
    assert _names(k8s_emulator, "Deployment", "default") == []
    # cluster-scoped ones apart by release name; the chart's .Release.Namespace is right
    assert _names(k8s_emulator, "ClusterRole") >= ["alpha-webhook", "beta-webhook"]
    hook = k8s_emulator.get("ValidatingWebhookConfiguration", "beta-validate")
    assert hook["webhooks"][0]["clientConfig"]["service"]["namespace"] == "team-b"
    # each object carries its own installation's identity and field manager
    deployment = k8s_emulator.get("Deployment", "alpha-webhook", "team-a")
    assert deployment["metadata"]["labels"]["akua.dev/installation"] == alpha.pk
    assert deployment["metadata"]["annotations"]["akua.dev/tracking-id"] == (
        f"{alpha.pk}:apps/Deployment:team-a/alpha-webhook"
    )
    assert {m["manager"] for m in deployment["metadata"]["managedFields"]} >= {f"akua-{alpha.pk}"}

    delete_installation(alpha, user=base.owner)
    assert _names(k8s_emulator, "Deployment", "team-a") == []
    assert "alpha-webhook" not in _names(k8s_emulator, "ClusterRole")
    assert k8s_emulator.get("ValidatingWebhookConfiguration", "alpha-validate") is None
    eventually(lambda: k8s_emulator.get("Namespace", "team-a") is None, what="team-a gone")
    # beta is untouched and still healthy
    assert _names(k8s_emulator, "Deployment", "team-b") == ["beta-webhook"]
    assert k8s_emulator.get("ValidatingWebhookConfiguration", "beta-validate") is not None
    assert _healthy(beta)

    delete_installation(beta, user=base.owner)
    assert _names(k8s_emulator, "Deployment", "team-b") == []
    assert k8s_emulator.get("ClusterRole", "beta-webhook") is None


def test_two_installations_in_one_namespace_share_it_and_the_last_one_removes_it(
    chart_version, cluster, install, k8s_emulator, base
):
    one, two = _webhooks(chart_version, install, cluster, ("one", "shared"), ("two", "shared"))
    delete_installation(one, user=base.owner)
    kept = next(e for e in one.applies.first().entries if e["subject"] == "Namespace/shared")
    assert kept["action"] == "skipped"
    assert "other objects are in it" in kept["message"] and "two-webhook" in kept["message"]
    assert _names(k8s_emulator, "Deployment", "shared") == ["two-webhook"]
    delete_installation(two, user=base.owner)
    eventually(lambda: k8s_emulator.get("Namespace", "shared") is None, what="shared gone")


def test_an_object_of_another_installation_is_a_conflict_that_names_it(
    chart_version, cluster, install, k8s_emulator, base
):
    """A package that hard-codes its release renders the same cluster-scoped names twice:
    the second installation is refused, nothing of the first one's is changed."""
    fields = "    replicas: int = 1"
    fixed = CHART_PACKAGE_K.format(fields=fields).replace("ctx.release()", '"fixed"')
    version = chart_version("webhook", package_k=fixed)
    first = install(version, "first", cluster=cluster, namespace="one")
    eventually(lambda: _healthy(first), what="first healthy")
    before = k8s_emulator.get("ClusterRole", "fixed-webhook")

    second = install(version, "second", cluster=cluster, namespace="two")
    applied = ApplyResult.objects.get(installation=second)
    assert applied.state == "failed"
    failed = {e["subject"]: e["message"] for e in applied.entries if e["action"] == "failed"}
    assert set(failed) == {
        "ClusterRole/fixed-webhook",
        "ClusterRoleBinding/fixed-webhook",
        "ValidatingWebhookConfiguration/fixed-validate",
        "MutatingWebhookConfiguration/fixed-mutate",
    }
    assert failed["ClusterRole/fixed-webhook"].startswith(
        f"Belongs to installation first ({first.pk}); Akua did not change it."
    )
    second.refresh_from_db()
    assert second.state == "failed" and "Belongs to installation first" in second.state_reason
    after = k8s_emulator.get("ClusterRole", "fixed-webhook")
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
    assert after["metadata"]["labels"]["akua.dev/installation"] == first.pk

    # deleting the second removes nothing of the first's
    delete_installation(second, user=base.owner)
    assert k8s_emulator.get("ClusterRole", "fixed-webhook") is not None
    assert _healthy(first)


def test_another_workspaces_installation_is_not_named(
    chart_version, cluster, install, k8s_emulator, base
):
    fields = "    replicas: int = 1"
    fixed = CHART_PACKAGE_K.format(fields=fields).replace("ctx.release()", '"fixed"')
    version = chart_version("webhook", package_k=fixed)
    theirs = install(version, "secret-project", cluster=cluster, namespace="one")
    from installations.models import Installation

    Installation.objects.filter(pk=theirs.pk).update(customer_workspace=base.initech)
    mine = install(version, "mine", cluster=cluster, namespace="two")
    messages = " ".join(e["message"] for e in mine.applies.first().entries)
    assert "Belongs to an installation of another workspace" in messages
    assert "secret-project" not in messages and theirs.pk not in messages
