"""kubectl, a client nobody here wrote, against the emulator: get, apply --server-side,
diff --server-side, rollout status, delete, explain, with the CA and either credential
from a kubeconfig file. .ci/run installs kubectl when a machine lacks it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from tests.kube_objects import crd as kube_crd

MANIFESTS = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources:
          limits: {cpu: 1000m, memory: 524288000}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
  - port: 80
"""


@pytest.fixture
def kubectl(k8s_emulator, tmp_path):
    """Run kubectl with a kubeconfig file (token by default); returns the CompletedProcess."""
    binary = shutil.which("kubectl")
    if binary is None:
        pytest.fail("kubectl is not installed: apt-get install -y kubernetes-client (.ci/run does)")
    configs = {}
    for auth in ("token", "certificate"):
        path = tmp_path / f"kubeconfig-{auth}"
        path.write_text(k8s_emulator.kubeconfig(auth=auth))
        configs[auth] = path
    (tmp_path / "manifests.yaml").write_text(MANIFESTS)
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def run(*args, auth="token", check=True, stdin=None):
        done = subprocess.run(
            [binary, f"--kubeconfig={configs[auth]}", f"--cache-dir={tmp_path / 'cache'}", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
        )
        if check and done.returncode != 0:
            pytest.fail(f"kubectl {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
        return done

    return run


def test_apply_server_side_then_get(kubectl, k8s_emulator):
    out = kubectl("apply", "--server-side", "-f", "manifests.yaml").stdout
    assert out.splitlines() == [
        "namespace/shop serverside-applied",
        "deployment.apps/web serverside-applied",
        "service/web serverside-applied",
    ]
    names = kubectl("get", "namespaces", "-o", "name").stdout.split()
    assert "namespace/shop" in names and "namespace/default" in names
    listed = kubectl("get", "deployments,services", "-n", "shop", "-o", "name").stdout.split()
    assert listed == ["deployment.apps/web", "service/web"]
    assert "deployment.apps/web" not in kubectl("get", "deployments", "-o", "name").stdout
    live = yaml.safe_load(kubectl("get", "deployment", "web", "-n", "shop", "-o", "yaml").stdout)
    container = live["spec"]["template"]["spec"]["containers"][0]
    assert container["resources"]["limits"] == {"cpu": "1", "memory": "524288k"}
    assert container["imagePullPolicy"] == "IfNotPresent"
    managers = {
        m["manager"]
        for m in k8s_emulator.get("Deployment", "web", "shop")["metadata"]["managedFields"]
    }
    assert managers == {"kubectl"}


def test_get_all_in_a_namespace_lists_its_workloads(kubectl, k8s_emulator):
    kubectl("apply", "--server-side", "-f", "manifests.yaml")
    k8s_emulator.step()
    names = kubectl("get", "all", "-n", "shop", "-o", "name").stdout.split()
    assert "deployment.apps/web" in names and "service/web" in names
    assert any(n.startswith("replicaset.apps/web-") for n in names)
    assert sum(n.startswith("pod/web-") for n in names) == 2


def test_get_prints_the_columns_a_real_server_prints(kubectl, k8s_emulator):
    kubectl("apply", "--server-side", "-f", "manifests.yaml")
    k8s_emulator.step()
    k8s_emulator.ready_after = 0
    k8s_emulator.step()
    deployments = kubectl("get", "deployments", "-n", "shop").stdout.splitlines()
    assert deployments[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert deployments[1].split()[:4] == ["web", "2/2", "2", "2"]
    services = kubectl("get", "service", "web", "-n", "shop").stdout.splitlines()
    assert services[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert services[1].split()[1:5] == ["ClusterIP", services[1].split()[2], "<none>", "80/TCP"]
    pods = kubectl("get", "pods", "-n", "shop", "-o", "wide").stdout.splitlines()
    assert pods[0].split()[:6] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP"]
    assert [line.split()[2] for line in pods[1:]] == ["Running", "Running"]
    classes = kubectl("get", "storageclass").stdout
    assert "standard (default)" in classes and "rancher.io/local-path" in classes


def test_diff_server_side_shows_only_a_real_change(kubectl, k8s_emulator):
    kubectl("apply", "--server-side", "-f", "manifests.yaml")
    same = kubectl("diff", "--server-side", "-f", "manifests.yaml", check=False)
    assert (same.returncode, same.stdout) == (0, "")  # defaults and 1000m vs 1 are no drift
    changed = kubectl(
        "diff",
        "--server-side",
        "-f",
        "-",
        stdin=MANIFESTS.replace("nginx:1.27", "nginx:1.28"),
        check=False,
    )
    assert changed.returncode == 1, changed.stderr
    assert "-      - image: nginx:1.27" in changed.stdout
    assert "+      - image: nginx:1.28" in changed.stdout
    # the diff was a dry run: nothing changed
    live = k8s_emulator.get("Deployment", "web", "shop")
    assert live["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_rollout_status_follows_the_rollout_through_a_watch(kubectl, k8s_emulator):
    k8s_emulator.ready_after = 0.5
    kubectl("apply", "--server-side", "-f", "manifests.yaml")
    done = kubectl("rollout", "status", "deployment/web", "-n", "shop", "--timeout=20s")
    assert 'deployment "web" successfully rolled out' in done.stdout
    assert k8s_emulator.request_count("watch") >= 1


def test_rollout_status_reports_a_rollout_that_exceeds_its_deadline(kubectl, k8s_emulator):
    kubectl(
        "apply",
        "--server-side",
        "-f",
        "-",
        stdin=MANIFESTS.replace("nginx:1.27", "nginx:1.27-fail"),
    )
    failed = kubectl(
        "rollout", "status", "deployment/web", "-n", "shop", "--timeout=20s", check=False
    )
    assert failed.returncode != 0
    assert 'deployment "web" exceeded its progress deadline' in failed.stderr


@pytest.mark.parametrize(
    "kind,name,manifest",
    [
        (
            "statefulset",
            "db",
            {
                "apiVersion": "apps/v1",
                "kind": "StatefulSet",
                "metadata": {"name": "db", "namespace": "default"},
                "spec": {
                    "serviceName": "db",
                    "replicas": 2,
                    "selector": {"matchLabels": {"app": "db"}},
                    "template": {
                        "metadata": {"labels": {"app": "db"}},
                        "spec": {"containers": [{"name": "db", "image": "postgres:16"}]},
                    },
                },
            },
        ),
        (
            "daemonset",
            "agent",
            {
                "apiVersion": "apps/v1",
                "kind": "DaemonSet",
                "metadata": {"name": "agent", "namespace": "default"},
                "spec": {
                    "selector": {"matchLabels": {"app": "agent"}},
                    "template": {
                        "metadata": {"labels": {"app": "agent"}},
                        "spec": {"containers": [{"name": "agent", "image": "agent:1"}]},
                    },
                },
            },
        ),
    ],
)
def test_rollout_status_of_statefulsets_and_daemonsets(kubectl, k8s_emulator, kind, name, manifest):
    k8s_emulator.ready_after = 0.5
    kubectl("apply", "--server-side", "-f", "-", stdin=yaml.safe_dump(manifest))
    done = kubectl("rollout", "status", f"{kind}/{name}", "--timeout=20s")
    assert "roll" in done.stdout and "complete" in done.stdout or "successfully" in done.stdout


def test_delete_removes_the_namespace_and_what_is_in_it(kubectl, k8s_emulator):
    kubectl("apply", "--server-side", "-f", "manifests.yaml")
    out = kubectl("delete", "-f", "manifests.yaml").stdout
    assert out.splitlines() == [
        'namespace "shop" deleted',
        'deployment.apps "web" deleted',
        'service "web" deleted',
    ]
    gone = kubectl("get", "namespace", "shop", check=False)
    assert gone.returncode == 1
    assert 'namespaces "shop" not found' in gone.stderr
    assert k8s_emulator.objects("Pod", "shop") == []


def test_a_client_certificate_is_who_kubectl_is(kubectl):
    whoami = kubectl("auth", "whoami", "-o", "yaml", auth="certificate").stdout
    assert yaml.safe_load(whoami)["status"]["userInfo"]["username"] == "emulator-admin"
    assert "namespace/default" in kubectl("get", "ns", "-o", "name", auth="certificate").stdout


def test_an_unknown_kind_gets_kubectls_usual_message(kubectl):
    widget = "apiVersion: apps/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: default\n"
    failed = kubectl("apply", "--server-side", "-f", "-", stdin=widget, check=False)
    assert failed.returncode == 1
    assert 'no matches for kind "Widget" in version "apps/v1"' in failed.stderr
    unknown = kubectl("get", "widgets", check=False)
    assert 'the server doesn\'t have a resource type "widgets"' in unknown.stderr


def test_a_custom_resource_is_served_once_its_crd_is_established(kubectl, k8s_emulator):
    spec = {"type": "object", "properties": {"size": {"type": "integer"}}}
    crd = kube_crd("Widget", schema={"type": "object", "properties": {"spec": spec}})
    kubectl("apply", "--server-side", "-f", "-", stdin=yaml.safe_dump(crd))
    kubectl("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=10s")
    widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: default\nspec:\n  size: 3\n"
    kubectl("apply", "--server-side", "-f", "-", stdin=widget)
    assert kubectl("get", "widgets", "-o", "name").stdout.split() == ["widget.example.com/w"]


def test_explain_reads_the_openapi_v3_documents(kubectl):
    out = kubectl("explain", "deployment.spec.replicas").stdout
    assert "FIELD: replicas <integer>" in out
    assert "Number of desired pods" in out
