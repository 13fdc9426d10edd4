"""A chart with Helm hooks, applied in Helm's order: pre-install hooks by weight, each waited
for, with their delete policies; then the chart's objects (its crds/ created, never owned);
post-install hooks once everything is healthy; test hooks never. The order is read from the
API server's own record of changes (what a watch would have seen)."""

from __future__ import annotations

from emulators.kubernetes import eventually
from installations.actions import current_inputs, delete_installation, update_inputs
from installations.deploy.monitor import check_health
from installations.models import ApplyResult
from tests.clusters.akua_fixtures import CHART_INPUTS, CHART_PACKAGE_K


def _healthy(inst):
    inst.refresh_from_db()
    return check_health(inst) == "healthy"


def _changes(emulator, since: int = 0) -> list[tuple[str, str, str]]:
    """(event type, kind, name) of every change the API server made after `since`."""
    return [
        (e.type, e.obj.get("kind", ""), e.obj["metadata"]["name"])
        for e in emulator.store.events.after(max(since, emulator.store.events.horizon))
    ]


def _first(changes, type_, kind, name) -> int:
    return changes.index((type_, kind, name))


def _available(emulator, name) -> int:
    """The position of the first change that made Deployment `name` available."""
    for index, event in enumerate(emulator.store.events.after(emulator.store.events.horizon)):
        obj = event.obj
        if obj.get("kind") == "Deployment" and obj["metadata"]["name"] == name:
            conditions = (obj.get("status") or {}).get("conditions") or []
            if any(c["type"] == "Available" and c["status"] == "True" for c in conditions):
                return index
    raise AssertionError(f"{name} never became available")


def test_install_runs_hooks_in_helms_order(chart_version, cluster, install, k8s_emulator, base):
    inst = install(chart_version("hooks"), "shop", cluster=cluster, namespace="shop")
    applied = ApplyResult.objects.get(installation=inst)
    assert applied.state == "applied", applied.message
    assert applied.event == "install"
    eventually(lambda: _healthy(inst), what="healthy")

    changes = _changes(k8s_emulator)
    order = [
        _first(changes, "ADDED", "ConfigMap", "shop-pre-config"),  # weight -10
        _first(changes, "ADDED", "Job", "shop-migrate"),  # weight -5, waited for
        _first(changes, "DELETED", "Job", "shop-migrate"),  # hook-succeeded
        _first(changes, "ADDED", "CustomResourceDefinition", "widgets.hooks.example.com"),
        _first(changes, "ADDED", "Deployment", "shop-app"),
        _first(changes, "ADDED", "Widget", "shop-widget"),
        _available(k8s_emulator, "shop-app"),
        _first(changes, "ADDED", "Job", "shop-welcome"),  # post-install, once healthy
        _first(changes, "DELETED", "Job", "shop-welcome"),  # ttlSecondsAfterFinished: 0
    ]
    assert order == sorted(order)
    # the migration finished before the application was created
    migrate_done = max(
        i for i, c in enumerate(changes) if c[1:] == ("Job", "shop-migrate") and c[0] == "MODIFIED"
    )
    assert migrate_done < _first(changes, "ADDED", "Deployment", "shop-app")
    # never applied: the test hook, and the upgrade hook on an install
    assert k8s_emulator.get("Pod", "shop-test", "shop") is None
    assert k8s_emulator.get("ConfigMap", "shop-upgraded", "shop") is None
    # no delete policy: before-hook-creation, so it stays after running
    assert k8s_emulator.get("ConfigMap", "shop-pre-config", "shop") is not None

    # the chart's CRD is created, not owned; hooks are not inventory (a finished Job that
    # the cluster removed is not "missing")
    crd = k8s_emulator.get("CustomResourceDefinition", "widgets.hooks.example.com")
    assert "akua.dev/installation" not in crd["metadata"]["labels"]
    assert "akua.dev/tracking-id" not in (crd["metadata"].get("annotations") or {})
    inventory = {e.subject: e.ownership for e in inst.applies.first().inventory.all()}
    assert inventory["CustomResourceDefinition/widgets.hooks.example.com"] == "crd"
    assert not any("migrate" in s or "welcome" in s or "pre-config" in s for s in inventory)
    entries = [(e["subject"], e["action"]) for e in inst.applies.first().entries]
    assert entries[:2] == [
        ("ConfigMap/shop/shop-pre-config", "created"),
        ("Job/shop/shop-migrate", "deleted"),
    ]
    assert entries[-1] == ("Job/shop/shop-welcome", "created")
    inst.refresh_from_db()
    assert inst.state == "healthy"


def test_an_upgrade_runs_the_upgrade_hooks(
    chart_version, cluster, install, k8s_emulator, base, run_tasks
):
    inst = install(chart_version("hooks"), "shop", cluster=cluster, namespace="shop")
    eventually(lambda: _healthy(inst), what="healthy")
    first_config = k8s_emulator.get("ConfigMap", "shop-pre-config", "shop")["metadata"]["uid"]
    since = k8s_emulator.store.resource_version

    inputs, head = current_inputs(inst)
    run_tasks(
        update_inputs, inst, {**inputs, "image": "example/app:2.0"}, user=base.owner, base_sha=head
    )
    latest = inst.applies.first()
    assert latest.event == "upgrade" and latest.state == "applied"
    eventually(lambda: _healthy(inst), what="healthy again")

    changes = _changes(k8s_emulator, since)
    assert ("ADDED", "Job", "shop-migrate") in changes  # pre-upgrade too
    assert ("ADDED", "ConfigMap", "shop-upgraded") in changes  # post-upgrade
    assert ("ADDED", "Job", "shop-welcome") not in changes  # post-install only
    # before-hook-creation: the earlier copy was deleted, a new one made
    assert ("DELETED", "ConfigMap", "shop-pre-config") in changes
    assert (
        k8s_emulator.get("ConfigMap", "shop-pre-config", "shop")["metadata"]["uid"] != first_config
    )

    # uninstall: the hooks left behind go too; the chart's CRD stays, as with Helm
    delete_installation(inst, user=base.owner)
    assert k8s_emulator.get("ConfigMap", "shop-pre-config", "shop") is None
    assert k8s_emulator.get("ConfigMap", "shop-upgraded", "shop") is None
    assert k8s_emulator.get("Deployment", "shop-app", "shop") is None
    assert k8s_emulator.get("CustomResourceDefinition", "widgets.hooks.example.com") is not None


def test_a_failing_pre_install_hook_fails_the_apply_with_its_message(
    chart_version, cluster, install, k8s_emulator
):
    inst = install(
        chart_version("hooks"),
        "shop",
        cluster=cluster,
        namespace="shop",
        inputs={"migrateImage": "example/migrate:1.0-fail"},
    )
    applied = ApplyResult.objects.get(installation=inst)
    assert applied.state == "failed"
    inst.refresh_from_db()
    assert inst.state == "failed"
    assert "pre-install hook Job/shop/shop-migrate failed" in inst.state_reason
    assert "BackoffLimitExceeded" in inst.state_reason or "backoff" in inst.state_reason.lower()
    # nothing of the release was applied
    assert k8s_emulator.get("Deployment", "shop-app", "shop") is None
    # hook-failed is not among its policies: the failed Job stays for someone to read
    assert k8s_emulator.get("Job", "shop-migrate", "shop") is not None


def test_a_hook_wait_is_bounded_and_shows_progress(
    chart_version, cluster, install, k8s_emulator, settings
):
    settings.HOOK_TIMEOUT = 1
    k8s_emulator.ready_after = 30  # the migration Job takes longer than the bound
    inst = install(chart_version("hooks"), "slow", cluster=cluster, namespace="slow")
    inst.refresh_from_db()
    assert inst.state == "failed"
    assert "pre-install hook Job/slow/slow-migrate failed: did not finish within 1 s" in (
        inst.state_reason
    )
    waits = [e.reason for e in inst.events.all()]
    assert any("running 2 pre-install hooks" in r for r in waits)


def test_no_hook_runs_for_an_apply_whose_objects_belong_to_another_installation(
    chart_version, cluster, install, k8s_emulator
):
    """As `helm install` refuses a release whose objects exist before it runs any hook: a
    package that hard-codes its release, installed twice in one namespace, is refused before
    its pre-install hooks. Before, the second ran them (a Job runs code; its
    `before-hook-creation` deleted the first one's copy), then failed object by object."""
    fields = "\n".join(f"    {line}" for line in CHART_INPUTS["hooks"])
    fixed = CHART_PACKAGE_K.format(fields=fields).replace("ctx.release()", '"fixed"')
    version = chart_version("hooks", package_k=fixed)
    first = install(version, "first", cluster=cluster, namespace="one")
    eventually(lambda: _healthy(first), what="first healthy")
    since = k8s_emulator.store.resource_version

    second = install(version, "second", cluster=cluster, namespace="one")
    applied = ApplyResult.objects.get(installation=second)
    assert applied.state == "failed"
    failed = {e["subject"]: e["message"] for e in applied.entries if e["action"] == "failed"}
    assert failed["Deployment/one/fixed-app"].startswith(
        f"Belongs to installation first ({first.pk}); Akua did not change it."
    )
    assert _changes(k8s_emulator, since) == []  # no hook created, deleted or run
    assert _healthy(first)
