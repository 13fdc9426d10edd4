"""Charts that use Kubernetes' built-in API beyond workloads: an admission webhook chart and
an autoscaled chart get healthy; drift is what the API server would change, so a request
of `cpu: 1000m`, stored as `1`, is no drift; a built-in kind the cluster does not serve is
said so, without suggesting a CustomResourceDefinition; `kubectl get -n` lists an
installation's objects in its namespace."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from kubernetes import client as k8s

from emulators.kubernetes import eventually
from installations.deploy.monitor import check_health, read_health
from installations.models import ApplyResult

OLD_HPA_PACKAGE_K = """\
import akua.ctx
import charts.chart

schema Input:
    cpu: str = "1000m"

input: Input = ctx.input()

_objects = chart.template(chart.TemplateOpts {
    values = input
    release = ctx.release()
    namespace = ctx.namespace()
})
resources = [
    r | {apiVersion = "autoscaling/v2beta2"} if r.kind == "HorizontalPodAutoscaler" else r
    for r in _objects
]
"""


def _healthy(inst):
    inst.refresh_from_db()
    return check_health(inst) == "healthy"


def test_an_admission_webhook_chart_gets_healthy(chart_version, cluster, install, k8s_emulator):
    inst = install(chart_version("webhook"), "guard", cluster=cluster, namespace="guard")
    applied = ApplyResult.objects.get(installation=inst)
    assert applied.state == "applied", applied.message
    actions = {e["subject"]: e["action"] for e in applied.entries}
    assert actions["ValidatingWebhookConfiguration/guard-validate"] == "created"
    assert actions["MutatingWebhookConfiguration/guard-mutate"] == "created"
    assert actions["PodDisruptionBudget/guard/guard-webhook"] == "created"
    eventually(lambda: _healthy(inst), what="healthy")
    health = {e.subject: e.health for e in inst.applies.first().inventory.all()}
    assert set(health.values()) == {"healthy"}, health
    # stored as a real server stores it (defaults), and that is no drift
    stored = k8s_emulator.get("ValidatingWebhookConfiguration", "guard-validate")
    assert stored["webhooks"][0]["timeoutSeconds"] == 10
    assert all(not e.drift for e in inst.applies.first().inventory.all())


def test_an_autoscaled_chart_gets_healthy_and_1000m_is_no_drift(
    chart_version, cluster, install, k8s_emulator, run_tasks
):
    inst = install(chart_version("autoscaled"), "web", cluster=cluster, namespace="web")
    eventually(lambda: _healthy(inst), what="healthy")
    inventory = {e.subject: e for e in inst.applies.first().inventory.all()}
    hpa = inventory["HorizontalPodAutoscaler/web/web-web"]
    assert hpa.health == "healthy", hpa.health_message
    deployment = inventory["Deployment/web/web-web"]
    container = deployment.applied["spec"]["template"]["spec"]["containers"][0]
    assert container["resources"]["requests"] == {"cpu": "1000m", "memory": "500Mi"}
    live = k8s_emulator.get("Deployment", "web-web", "web")
    stored = live["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]
    assert stored["cpu"] == "1"
    assert deployment.drift == []
    reading = read_health(inst, inst.applies.first())
    assert "drift" not in reading.message
    # the same apply again (forced, so it is sent) changes nothing on the server
    from installations.deploy.assign import reapply

    before = live["metadata"]["resourceVersion"]
    run_tasks(reapply, inst)
    again = inst.applies.first()
    assert again.force and again.pk != deployment.apply_id
    actions = {e["subject"]: e["action"] for e in again.entries}
    assert actions["Deployment/web/web-web"] == "unchanged"
    assert k8s_emulator.get("Deployment", "web-web", "web")["metadata"]["resourceVersion"] == before


def test_a_real_change_is_still_drift_and_names_who_made_it(
    chart_version, cluster, install, k8s_emulator
):
    inst = install(chart_version("autoscaled"), "web", cluster=cluster, namespace="web")
    eventually(lambda: _healthy(inst), what="healthy")
    apps = k8s.AppsV1Api(k8s_emulator.api_client())
    live = k8s_emulator.get("Deployment", "web-web", "web")
    container = live["spec"]["template"]["spec"]["containers"][0]
    apps.patch_namespaced_deployment(
        "web-web",
        "web",
        {"spec": {"template": {"spec": {"containers": [{**container, "image": "evil:1"}]}}}},
        field_manager="kubectl-edit",
    )
    reading = read_health(inst, inst.applies.first())
    drift = {e.subject: e.drift for e in reading.entries}["Deployment/web/web-web"]
    assert drift == [
        {
            "path": "spec.template.spec.containers[name=web].image",
            "applied": "example/web:1.0",
            "live": "evil:1",
            "manager": "kubectl-edit",
        }
    ]


def test_a_built_in_kind_the_cluster_does_not_serve_is_said_so(
    chart_version, cluster, install, k8s_emulator
):
    """The emulator serves the HPA as autoscaling/v2 only (as clusters since 1.26 do not
    serve v2beta2): an old chart's autoscaling/v2beta2 is a built-in API, not a CRD."""
    old = OLD_HPA_PACKAGE_K
    inst = install(
        chart_version("autoscaled", package_k=old), "old", cluster=cluster, namespace="old"
    )
    applied = ApplyResult.objects.get(installation=inst)
    failed = {e["subject"]: e["message"] for e in applied.entries if e["action"] == "failed"}
    message = failed["HorizontalPodAutoscaler/old-web"]
    assert message.startswith(
        "The cluster does not serve autoscaling/v2beta2 HorizontalPodAutoscaler: it is a "
        "built-in Kubernetes API"
    )
    assert "CustomResourceDefinition" not in message
    inst.refresh_from_db()
    assert "CustomResourceDefinition" not in inst.state_reason


@pytest.fixture
def kubectl(k8s_emulator, tmp_path):
    binary = shutil.which("kubectl")
    if binary is None:
        pytest.fail("kubectl is not installed: apt-get install -y kubernetes-client")
    config = tmp_path / "kubeconfig"
    config.write_text(k8s_emulator.kubeconfig())

    def run(*args):
        done = subprocess.run(
            [binary, f"--kubeconfig={config}", f"--cache-dir={tmp_path / 'cache'}", *args],
            capture_output=True,
            text=True,
            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run


def test_kubectl_lists_an_installations_objects_in_its_namespace(
    chart_version, cluster, install, kubectl, k8s_emulator
):
    inst = install(chart_version("webhook"), "guard", cluster=cluster, namespace="guard")
    eventually(lambda: _healthy(inst), what="healthy")
    names = kubectl(
        "get",
        "deployments,services,serviceaccounts,poddisruptionbudgets",
        "-n",
        "guard",
        "-l",
        f"akua.dev/installation={inst.pk}",
        "-o",
        "name",
    ).split()
    assert names == [
        "deployment.apps/guard-webhook",
        "service/guard-webhook",
        "serviceaccount/guard-webhook",
        "poddisruptionbudget.policy/guard-webhook",
    ]
    assert "guard-webhook" not in kubectl("get", "deployments", "-n", "default", "-o", "name")
    table = kubectl("get", "deployment", "guard-webhook", "-n", "guard")
    assert table.splitlines()[1].split()[:2] == ["guard-webhook", "1/1"]
