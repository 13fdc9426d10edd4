"""Moving an installation to another cluster or namespace: applied in the new place, waited
for until healthy, then removed from the old place; or stopped with the reason, the old
place left running."""

from __future__ import annotations

from emulators.kubernetes import eventually
from installations.actions import assign_cluster
from installations.actions.head import repository
from installations.deploy.monitor import check_health
from installations.landing import target_at


def _settled(inst, state="healthy"):
    inst.refresh_from_db()
    return check_health(inst) == state


def test_moved_to_a_second_cluster_it_runs_there_and_is_gone_from_the_first(
    installed, cluster, second_cluster, k8s_emulator, second_emulator, base, run_tasks
):
    inst = installed()
    eventually(lambda: _settled(inst), what="healthy on the first cluster")

    run_tasks(assign_cluster, inst, second_cluster, "ns-web", user=base.owner)
    inst.refresh_from_db()
    assert inst.cluster == second_cluster
    # applied there, the first still running until the second is healthy
    assert second_emulator.get("Deployment", "web", "ns-web") is not None
    assert k8s_emulator.get("Deployment", "web", "ns-web") is not None
    moved = inst.applies.first()
    assert moved.cluster == second_cluster and moved.event == "install"
    assert moved.previous_place.cluster == cluster

    eventually(lambda: _settled(inst), what="healthy on the second cluster")
    assert second_emulator.get("Deployment", "web", "ns-web") is not None
    assert k8s_emulator.get("Deployment", "web", "ns-web") is None
    assert k8s_emulator.get("Service", "web", "ns-web") is None
    eventually(lambda: k8s_emulator.get("Namespace", "ns-web") is None, what="old namespace gone")
    moved.refresh_from_db()
    assert moved.after_healthy == "done"
    removed = [e for e in moved.entries if "moved away from test" in e["message"]]
    assert {e["subject"] for e in removed} == {
        "Deployment/ns-web/web",
        "Service/ns-web/web",
        "Namespace/ns-web",
    }
    # the page follows it
    assert {e.health for e in inst.applies.first().inventory.all()} == {"healthy"}


def test_moved_to_another_namespace_by_a_commit(installed, cluster, k8s_emulator, base, run_tasks):
    inst = installed()
    eventually(lambda: _settled(inst), what="healthy")
    run_tasks(assign_cluster, inst, cluster, "shop", user=base.owner)
    inst.refresh_from_db()
    repo = repository(inst)
    assert target_at(inst, repo, repo.head()).namespace == "shop"
    commits = [c.subject for c in repo.log(limit=3)]
    assert "Move in namespace shop on test" in commits
    eventually(lambda: _settled(inst), what="healthy in shop")
    assert k8s_emulator.get("Deployment", "web", "shop") is not None
    assert k8s_emulator.get("Deployment", "web", "ns-web") is None
    assert inst.namespace == "shop"


def test_a_move_that_does_not_get_healthy_leaves_the_old_place_running(
    web_version, install, cluster, second_cluster, k8s_emulator, second_emulator, base, run_tasks
):
    inst = install(web_version, "web", cluster=cluster, namespace="ns-web")
    eventually(lambda: _settled(inst), what="healthy")
    # the second cluster cannot pull the image: its Deployment never gets available
    second_emulator.progress_deadline = 0.5
    from installations.actions import current_inputs, update_inputs

    run_tasks(assign_cluster, inst, second_cluster, "ns-web", user=base.owner)
    inputs, head = current_inputs(inst)
    run_tasks(update_inputs, inst, {**inputs, "tag": "2.0-fail"}, user=base.owner, base_sha=head)
    eventually(lambda: _settled(inst, "degraded"), what="degraded on the second cluster")
    inst.refresh_from_db()
    assert "it keeps running in test (namespace ns-web) until it is healthy here" in (
        inst.state_reason
    )
    assert k8s_emulator.get("Deployment", "web", "ns-web") is not None  # still there


def test_a_move_whose_apply_fails_stops_with_the_reason(
    web_version, install, cluster, k8s_emulator, base, run_tasks
):
    """The target namespace holds another installation's Deployment `web`."""
    inst = install(web_version, "web", cluster=cluster, namespace="ns-web")
    other = install(web_version, "other", cluster=cluster, namespace="taken")
    eventually(lambda: _settled(inst), what="healthy")
    eventually(lambda: _settled(other), what="other healthy")

    run_tasks(assign_cluster, inst, cluster, "taken", user=base.owner)
    inst.refresh_from_db()
    assert inst.state == "failed"
    assert f"Belongs to installation other ({other.pk})" in inst.state_reason
    assert k8s_emulator.get("Deployment", "web", "ns-web") is not None  # old place runs
    live = k8s_emulator.get("Deployment", "web", "taken")
    assert live["metadata"]["labels"]["akua.dev/installation"] == other.pk


def test_the_page_offers_the_move_once_it_runs(client, installed, base):
    inst = installed()
    client.force_login(base.member)
    html = client.get(f"/installations/{inst.pk}/cluster/").content.decode()
    assert "Move to another cluster or namespace" in html


def test_the_admin_moves_it_through_the_same_action(
    installed, cluster, k8s_emulator, admin_client, run_tasks
):
    from django.urls import reverse

    inst = installed()
    eventually(lambda: _settled(inst), what="healthy")
    url = reverse("admin:installations_installation_change", args=[inst.pk])
    response = run_tasks(
        admin_client.post,
        url,
        {
            "cluster": cluster.pk,
            "namespace": "moved",
            **{
                f"{inline}-{n}_FORMS": 0
                for inline in ("renders", "events")
                for n in ("TOTAL", "INITIAL")
            },
        },
        follow=True,
    )
    assert "moving to test (namespace moved)" in response.content.decode()
    inst.refresh_from_db()
    assert inst.namespace == "moved"
    assert "Move in namespace moved on test" in [c.subject for c in repository(inst).log(limit=3)]
    eventually(lambda: _settled(inst), what="healthy in moved")
    assert k8s_emulator.get("Deployment", "web", "moved") is not None
    assert k8s_emulator.get("Deployment", "web", "ns-web") is None


def test_a_move_to_a_cluster_that_does_not_answer_waits_for_it(
    installed, second_cluster, k8s_emulator, second_emulator, base, run_tasks
):
    inst = installed()
    eventually(lambda: _settled(inst), what="healthy")
    second_emulator.set_unreachable(True)
    run_tasks(assign_cluster, inst, second_cluster, "ns-web", user=base.owner)
    inst.refresh_from_db()
    assert inst.state == "unknown" and "did not answer" in inst.state_reason
    assert k8s_emulator.get("Deployment", "web", "ns-web") is not None  # still running
    second_emulator.set_unreachable(False)
    run_tasks(check_health, inst)  # the monitor: the cluster is back, the move goes on
    eventually(lambda: _settled(inst), what="healthy on the second cluster")
    assert second_emulator.get("Deployment", "web", "ns-web") is not None
    assert k8s_emulator.get("Deployment", "web", "ns-web") is None
