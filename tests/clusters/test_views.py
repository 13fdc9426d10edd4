"""The cluster pages: import (paste, several contexts, refusals), detail without secrets,
the installation's cluster section, logs, Re-apply, and other people's clusters."""

from __future__ import annotations

from datetime import timedelta

import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clusters.models import Cluster
from emulators.kubernetes import eventually
from installations.deploy import monitor
from installations.models import InventoryEntry


def _two_contexts(text: str) -> str:
    data = yaml.safe_load(text)
    ctx = dict(data["contexts"][0])
    data["contexts"].append({"name": "other", "context": ctx["context"]})
    return yaml.safe_dump(data)


def test_an_owner_imports_a_pasted_kubeconfig(client, base, k8s_emulator):
    client.force_login(base.owner)
    response = client.post(
        "/clusters/import/",
        {"workspace": "globex-b", "name": "prod", "kubeconfig": k8s_emulator.kubeconfig()},
    )
    cluster = Cluster.objects.get(name="prod")
    assert response.status_code == 302 and response.url == f"/clusters/{cluster.pk}/"
    page = client.get(response.url).content.decode()
    assert k8s_emulator.url in page and "emulator-admin" in page and "v1.31" in page
    assert k8s_emulator.token not in page
    assert "standard (default)" in page


def test_several_contexts_ask_which_one(client, base, k8s_emulator):
    client.force_login(base.owner)
    text = _two_contexts(k8s_emulator.kubeconfig())
    data = {"workspace": "globex-b", "name": "prod", "kubeconfig": text}
    page = client.post("/clusters/import/", data).content.decode()
    assert "several contexts; choose one" in page and 'value="other"' in page
    response = client.post("/clusters/import/", {**data, "context": "other"})
    assert response.status_code == 302
    assert Cluster.objects.get(name="prod").context == "other"


def test_exec_kubeconfigs_are_refused(client, base):
    client.force_login(base.owner)
    text = yaml.safe_dump(
        {
            "clusters": [{"name": "c", "cluster": {"server": "https://k8s.example"}}],
            "users": [{"name": "u", "user": {"exec": {"command": "rm"}}}],
            "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
            "current-context": "x",
        }
    )
    page = client.post(
        "/clusters/import/", {"workspace": "globex-b", "name": "p", "kubeconfig": text}
    ).content.decode()
    assert "does not run programs" in page
    assert not Cluster.objects.exists()


def test_a_plain_member_cannot_import_and_outsiders_do_not_see_clusters(client, base, cluster):
    client.force_login(base.member)
    assert client.get("/clusters/import/").status_code == 404
    assert client.get(f"/clusters/{cluster.pk}/").status_code == 200
    client.force_login(base.outsider)
    assert client.get(f"/clusters/{cluster.pk}/").status_code == 404
    assert cluster.name not in client.get("/clusters/").content.decode()


def test_the_installation_page_shows_objects_pods_and_logs(client, base, installed):
    inst = installed()
    client.force_login(base.owner)
    section = f"/installations/{inst.pk}/cluster/"
    assert f'hx-get="{section}"' in client.get(f"/installations/{inst.pk}/").content.decode()

    def pods_ready():
        page = client.get(section, HTTP_HX_REQUEST="true").content.decode()
        return page if "ready" in page and "web-" in page else None

    page = eventually(pods_ready, what="pods")
    assert "Deployment" in page and "Service" in page and "Namespace" in page
    import re

    pod = re.search(r"pod=(web-[\w-]+)&", page).group(1)
    log = client.get(
        f"/installations/{inst.pk}/cluster/logs/?namespace=ns-web&pod={pod}&container=web"
    )
    assert log.status_code == 200
    follow = client.get(
        f"/installations/{inst.pk}/cluster/logs/?namespace=ns-web&pod={pod}&container=web&follow=1",
        HTTP_HX_REQUEST="true",
    )
    assert 'hx-trigger="every 2s"' in follow.content.decode()
    other = client.get(
        f"/installations/{inst.pk}/cluster/logs/?namespace=kube-system&pod=x&container=y"
    )
    assert "is not a pod of" in other.content.decode()


def test_assign_then_reapply(client, base, web_version, cluster, install, run_tasks, k8s_emulator):
    inst = install(web_version, "later")
    client.force_login(base.owner)
    page = client.get(f"/installations/{inst.pk}/cluster/", HTTP_HX_REQUEST="true").content.decode()
    assert "Assign and apply" in page
    run_tasks(
        client.post,
        f"/installations/{inst.pk}/cluster/assign/",
        {"cluster": cluster.pk, "namespace": "later"},
    )
    assert k8s_emulator.get("Deployment", "web", "later") is not None
    inst.refresh_from_db()
    assert inst.applies.count() == 1
    run_tasks(client.post, f"/installations/{inst.pk}/cluster/reapply/")
    assert inst.applies.count() == 2 and inst.applies.first().force


def test_the_cluster_section_shows_health_read_now_and_writes_nothing(
    client, base, installed, k8s_emulator
):
    """A GET reads health from the cluster and shows it; recording it (and the state it
    implies) is the monitor's."""
    inst = installed()
    eventually(lambda: monitor.check_health(inst) == "healthy", what="healthy")
    inst.refresh_from_db()
    long_ago = timezone.now() - timedelta(minutes=5)
    InventoryEntry.objects.filter(installation=inst).update(observed_at=long_ago)
    k8s_emulator.set_unreachable(True)
    client.force_login(base.owner)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/installations/{inst.pk}/cluster/", HTTP_HX_REQUEST="true")
        client.get(f"/installations/{inst.pk}/cluster/")
    html = page.content.decode()
    assert 'id="health-now"' in html and "The cluster did not answer" in html
    writes = [
        q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []
    inst.refresh_from_db()
    assert inst.state == "healthy"
    assert set(inst.inventory.values_list("health", flat=True)) == {"healthy"}
    assert monitor.check_health(inst) == "unknown"  # the monitor records it
    inst.refresh_from_db()
    assert inst.state == "unknown"
