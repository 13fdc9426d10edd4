"""An object that was on the cluster before the installation (the cluster's IngressClass
`nginx`, which the emulator starts with, as clusters with an ingress controller do) is
neither changed nor deleted unless a person adopts it; adopting is recorded, and
uninstalling keeps an adopted object unless the person chooses to delete it too."""

from __future__ import annotations

from kubernetes import client as k8s

from emulators.kubernetes import eventually
from installations.actions import delete_installation
from installations.deploy.monitor import check_health
from installations.deploy.ownership import adopt_object
from installations.models import Adoption, ApplyResult


def _existing_ingress_class(emulator):
    """The cluster's IngressClass, made the platform team's own (not Akua's)."""
    api = k8s.NetworkingV1Api(emulator.api_client())
    api.patch_ingress_class("nginx", {"metadata": {"labels": {"team": "platform"}}})
    return emulator.get("IngressClass", "nginx")


def _healthy(inst):
    inst.refresh_from_db()
    return check_health(inst) == "healthy"


def test_an_object_that_existed_is_left_alone_and_kept(
    chart_version, cluster, install, k8s_emulator, base
):
    before = _existing_ingress_class(k8s_emulator)
    inst = install(chart_version("ingress"), "edge", cluster=cluster, namespace="edge")
    applied = ApplyResult.objects.get(installation=inst)
    assert applied.state == "applied"
    entry = next(e for e in applied.entries if e["subject"] == "IngressClass/nginx")
    assert entry["action"] == "skipped"
    assert entry["message"].startswith("Existed before and was not created by Akua")
    assert "Left alone, because they existed before" in applied.message
    after = k8s_emulator.get("IngressClass", "nginx")
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
    assert after["metadata"]["labels"] == {"team": "platform"}
    assert "akua.dev/tracking-id" not in after["metadata"]["annotations"]
    eventually(lambda: _healthy(inst), what="healthy")
    found = applied.inventory.get(kind="IngressClass")
    assert found.ownership == "existing" and found.drift == []

    delete_installation(inst, user=base.owner)
    assert k8s_emulator.get("Deployment", "edge-controller", "edge") is None
    kept = k8s_emulator.get("IngressClass", "nginx")
    assert kept["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]


def test_a_person_adopts_it_then_chooses_whether_uninstall_deletes_it(
    chart_version, cluster, install, k8s_emulator, base, run_tasks
):
    _existing_ingress_class(k8s_emulator)
    version = chart_version("ingress")
    inst = install(version, "edge", cluster=cluster, namespace="edge")
    run_tasks(adopt_object, inst, "IngressClass/nginx", user=base.owner)

    adoption = Adoption.objects.get(installation=inst)
    assert (adoption.subject, adoption.adopted_by) == ("IngressClass/nginx", base.owner)
    live = k8s_emulator.get("IngressClass", "nginx")  # taken over
    assert live["metadata"]["labels"]["akua.dev/installation"] == inst.pk
    assert live["metadata"]["annotations"]["akua.dev/tracking-id"] == (
        f"{inst.pk}:networking.k8s.io/IngressClass:/nginx"
    )
    latest = inst.applies.first()
    assert latest.inventory.get(kind="IngressClass").ownership == "adopted"
    entry = next(e for e in latest.entries if e["subject"] == "IngressClass/nginx")
    assert entry["message"] == "Adopted: Akua manages it from now on"

    # uninstall keeps what was adopted...
    delete_installation(inst, user=base.owner)
    assert k8s_emulator.get("IngressClass", "nginx") is not None
    kept = next(e for e in inst.applies.first().entries if e["subject"] == "IngressClass/nginx")
    assert kept["action"] == "skipped" and kept["message"].startswith("Kept: adopted")

    # ...unless the person chooses to delete it too
    again = install(version, "edge2", cluster=cluster, namespace="edge2")
    assert again.applies.first().inventory.get(kind="IngressClass").ownership == "existing"
    run_tasks(adopt_object, again, "IngressClass/nginx", user=base.owner)
    delete_installation(again, user=base.owner, delete_adopted=True)
    assert k8s_emulator.get("IngressClass", "nginx") is None


def test_the_page_offers_adoption_and_refuses_anything_else(
    client, chart_version, cluster, install, k8s_emulator, base, run_tasks
):
    _existing_ingress_class(k8s_emulator)
    inst = install(chart_version("ingress"), "edge", cluster=cluster, namespace="edge")
    client.force_login(base.member)
    html = client.get(f"/installations/{inst.pk}/cluster/").content.decode()
    assert "existed on the cluster before this installation" in html
    assert 'value="IngressClass/nginx"' in html
    # not an object it found: refused, nothing recorded
    response = client.post(
        f"/installations/{inst.pk}/cluster/adopt/",
        {"subject": "Deployment/edge/edge-controller"},
        follow=True,
    )
    assert "is not an object this installation found on its cluster" in response.content.decode()
    assert not Adoption.objects.exists()
    response = run_tasks(
        client.post,
        f"/installations/{inst.pk}/cluster/adopt/",
        {"subject": "IngressClass/nginx"},
        follow=True,
    )
    assert "Adopting IngressClass/nginx" in response.content.decode()
    assert Adoption.objects.get().adopted_by == base.member
    html = client.get(f"/installations/{inst.pk}/cluster/").content.decode()
    assert "adopted" in html and "existed on the cluster before" not in html
    # the delete page offers the choice
    client.force_login(base.owner)
    html = client.get(f"/installations/{inst.pk}/delete/").content.decode()
    assert 'name="delete_adopted"' in html
