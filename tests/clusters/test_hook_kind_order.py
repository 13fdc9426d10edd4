"""Hooks of one weight and one name run in Helm's kind order (a ServiceAccount, then a
ConfigMap, then the Job that uses them; kinds Helm does not know last), whatever the order of
the templates they come from: Helm sorts hooks by kind, then (stably) by weight and name."""

from __future__ import annotations

from akua.packaging.engines.helm import render_chart
from clusters import hooks
from installations.models import ApplyResult
from tests.clusters.akua_fixtures import CHARTS


def _phase(phase: str) -> list[tuple[str, str]]:
    rendered = render_chart(CHARTS / "hookkinds", {}, release="shop", namespace="shop")
    _regular, found = hooks.split(rendered)
    return [(h.obj["kind"], h.name) for h in hooks.for_phase(found, phase)]


def test_hooks_of_one_weight_and_name_run_in_helms_kind_order():
    assert _phase("pre-install") == [
        ("Job", "shop-a-first"),  # the name comes before the kind
        ("ServiceAccount", "shop-setup"),
        ("ConfigMap", "shop-setup"),
        ("Job", "shop-setup"),
        ("Lease", "shop-setup"),
    ]
    assert _phase("post-install") == [
        ("ServiceAccount", "shop-setup"),
        ("ConfigMap", "shop-setup"),
        ("Job", "shop-setup"),
    ]


def test_hook_succeeded_deletes_the_phases_hooks_once_all_of_them_succeeded(
    chart_version, cluster, install, k8s_emulator
):
    """The Job runs as its ServiceAccount and reads its ConfigMap, both hooks of its phase
    with `hook-succeeded`: Helm deletes them after the whole phase, not before the Job."""
    inst = install(chart_version("hookkinds"), "shop", cluster=cluster, namespace="shop")
    applied = ApplyResult.objects.get(installation=inst)
    assert applied.state == "applied", applied.message
    changes = [
        (e.type, e.obj.get("kind", ""), e.obj["metadata"]["name"])
        for e in k8s_emulator.store.events.after(k8s_emulator.store.events.horizon)
        if e.obj["metadata"].get("namespace") == "shop"
    ]
    job_done = max(
        i for i, c in enumerate(changes) if c[1:] == ("Job", "shop-setup") and c[0] == "MODIFIED"
    )
    for kind in ("ServiceAccount", "ConfigMap"):
        assert changes.index(("DELETED", kind, "shop-setup")) > job_done, kind
    # the last one first
    deleted = [c[1:] for c in changes if c[0] == "DELETED" and c[1] != "Pod"]
    assert deleted[:4] == [
        ("Job", "shop-setup"),
        ("ConfigMap", "shop-setup"),
        ("ServiceAccount", "shop-setup"),
        ("Job", "shop-a-first"),
    ]
    hooks_entries = [(e["subject"], e["action"]) for e in applied.entries][:5]
    assert hooks_entries == [
        ("Job/shop/shop-a-first", "deleted"),
        ("ServiceAccount/shop/shop-setup", "deleted"),
        ("ConfigMap/shop/shop-setup", "deleted"),
        ("Job/shop/shop-setup", "deleted"),
        ("Lease/shop/shop-setup", "created"),  # no policy: before-hook-creation, it stays
    ]
