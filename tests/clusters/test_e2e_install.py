"""Install -> applied -> healthy, against the emulator with tasks inline."""

from __future__ import annotations

from emulators.kubernetes import eventually
from installations.deploy.monitor import check_health
from installations.models import ApplyResult


def _healthy(inst):
    inst.refresh_from_db()
    return check_health(inst) == "healthy"


def test_an_installation_is_applied_then_goes_healthy(installed, k8s_emulator):
    inst = installed(replicas=2)
    applied = ApplyResult.objects.get(installation=inst)
    assert applied.state == "applied", applied.entries
    actions = {e["subject"]: e["action"] for e in applied.entries}
    assert actions == {
        "Namespace/ns-web": "created",
        "Deployment/ns-web/web": "created",
        "Service/ns-web/web": "created",
    }
    deployment = k8s_emulator.get("Deployment", "web", "ns-web")
    assert deployment["metadata"]["labels"] == {
        "app.kubernetes.io/managed-by": "akua",
        "akua.dev/installation": inst.pk,
    }
    eventually(lambda: _healthy(inst), what="healthy")
    assert inst.state == "healthy"
    assert [e.health for e in applied.inventory.all()] == ["healthy"] * 3
    assert inst.events.filter(to_state="healthy").exists()
