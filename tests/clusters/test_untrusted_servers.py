"""A kubeconfig names any URL: what answers there is untrusted.

One bad cluster never stops the probe of the others; a server that is not a Kubernetes
API server is a sentence (on the form at import, on the cluster after), never a 500 or a
half-made row; what it answered is never shown beyond its status line; a kubeconfig is
never shown back in the form; and with AKUA_CLUSTER_ALLOW_PRIVATE off no connection is
made to loopback, link-local or private addresses.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from akua import crypto
from clusters import tasks
from clusters.models import Cluster
from tests.hostile_yaml import DEEP, LOOP, bomb_yaml

SECRET_PAGE = "<html><body>Internal admin panel: root password hunter2</body></html>"
TOKEN = "kubeconfig-token-4d7c1b9e"


class Answering:
    """A small HTTP server that answers every request the same way, and counts them."""

    def __init__(self, status: int, content_type: str, body: str):
        answer = (status, content_type, body.encode())
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits += 1
                code, ctype, data = answer
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def answering():
    servers = []

    def start(status=200, content_type="text/html; charset=utf-8", body=SECRET_PAGE):
        servers.append(Answering(status, content_type, body))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def kubeconfig(server: str) -> str:
    return yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "c", "cluster": {"server": server}}],
            "users": [{"name": "u", "user": {"token": TOKEN}}],
            "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
            "current-context": "x",
        }
    )


def closed_port_url() -> str:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def stored_cluster(workspace, name: str, text: str, server: str) -> Cluster:
    """A cluster row as an earlier import left it (its server changed since)."""
    return Cluster.objects.create(
        workspace=workspace,
        name=name,
        kubeconfig_encrypted=crypto.encrypt(text),
        context="x",
        server=server,
        user_name="u",
    )


def _import(client, text: str, name: str = "prod"):
    return client.post(
        "/clusters/import/", {"workspace": "globex-b", "name": name, "kubeconfig": text}
    )


def test_the_probe_task_reaches_every_cluster_whatever_the_first_ones_answer(
    base, answering, k8s_emulator
):
    html = answering()
    stored_cluster(base.globex, "a-html", kubeconfig(html.url), html.url)
    down = closed_port_url()
    stored_cluster(base.globex, "b-down", kubeconfig(down), down)
    stored_cluster(base.globex, "c-emulator", k8s_emulator.kubeconfig(), k8s_emulator.url)

    assert tasks.probe_clusters() == 3

    a, b, c = Cluster.objects.order_by("name")
    assert c.reachable is True and c.server_version.startswith("v1.") and c.probed_at
    assert a.reachable is False and a.probed_at
    assert a.unreachable_reason == (
        f"The server at {html.url} did not answer as a Kubernetes API server (HTTP 200, text/html)."
    )
    assert b.reachable is False and b.unreachable_reason.startswith("Connection refused")


def test_an_import_of_a_server_that_answers_html_is_a_form_error_and_keeps_nothing(
    client, base, answering
):
    html = answering()
    client.force_login(base.owner)
    response = _import(client, kubeconfig(html.url))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f"The server at {html.url} did not answer as a Kubernetes API server "
        "(HTTP 200, text/html)." in page
    )
    assert "hunter2" not in page and "Internal admin panel" not in page
    assert TOKEN not in page  # the refused kubeconfig is not shown back
    assert "A kubeconfig that was refused is not shown again" in page
    assert not Cluster.objects.exists()


@pytest.mark.parametrize(
    ("status", "content_type", "body", "status_line"),
    [
        (200, "application/json", '{"service": "billing", "secret": "hunter2"}', "HTTP 200"),
        (500, "text/plain", "db password=hunter2", "HTTP 500, text/plain"),
        (404, "application/json", '{"message": "hunter2 lives here"}', None),
    ],
)
def test_what_any_server_answers_is_never_shown_beyond_its_status_line(
    base, answering, status, content_type, body, status_line
):
    server = answering(status, content_type, body)
    cluster = stored_cluster(base.globex, "other", kubeconfig(server.url), server.url)
    tasks.probe_clusters()
    cluster.refresh_from_db()
    assert cluster.reachable is False
    assert "hunter2" not in cluster.unreachable_reason
    if status_line:
        assert "did not answer as a Kubernetes API server" in cluster.unreachable_reason
        assert status_line in cluster.unreachable_reason
    else:
        assert cluster.unreachable_reason == "404 Not Found"


def test_check_now_on_a_server_that_answers_html_records_it(client, base, answering):
    html = answering()
    cluster = stored_cluster(base.globex, "a-html", kubeconfig(html.url), html.url)
    client.force_login(base.owner)
    response = client.post(f"/clusters/{cluster.pk}/probe/")
    assert response.status_code == 302
    page = client.get(f"/clusters/{cluster.pk}/").content.decode()
    assert "did not answer as a Kubernetes API server (HTTP 200, text/html)" in page
    assert "hunter2" not in page


def test_a_kubeconfig_is_held_not_shown_when_only_the_name_was_wrong(client, base, k8s_emulator):
    client.force_login(base.owner)
    text = k8s_emulator.kubeconfig()
    assert _import(client, text).status_code == 302
    page = _import(client, text).content.decode()  # the same name again
    assert "already has a cluster named prod" in page
    assert k8s_emulator.token not in page
    assert "kept, encrypted, for this import and not shown again" in page
    response = _import(client, "", name="staging")  # nothing pasted: the held one is used
    assert response.status_code == 302
    assert Cluster.objects.get(name="staging").server == k8s_emulator.url


def test_private_addresses_are_refused_when_the_setting_is_off(client, base, answering, settings):
    server = answering(200, "application/json", '{"gitVersion": "v1.31.0"}')
    settings.CLUSTER_ALLOW_PRIVATE = False
    client.force_login(base.owner)
    page = _import(client, kubeconfig(server.url)).content.decode()
    assert "The server 127.0.0.1 is a loopback address" in page
    assert "AKUA_CLUSTER_ALLOW_PRIVATE is off" in page
    assert TOKEN not in page
    assert not Cluster.objects.exists()
    named = kubeconfig(server.url.replace("127.0.0.1", "localhost"))
    page = _import(client, named).content.decode()
    assert "The server localhost (127.0.0.1) is a loopback address" in page
    assert server.hits == 0


def test_every_connection_checks_the_address_not_only_the_import(base, answering, settings):
    server = answering(200, "application/json", '{"gitVersion": "v1.31.0"}')
    cluster = stored_cluster(base.globex, "internal", kubeconfig(server.url), server.url)
    settings.CLUSTER_ALLOW_PRIVATE = False
    tasks.probe_clusters()
    cluster.refresh_from_db()
    assert cluster.reachable is False
    assert "is a loopback address" in cluster.unreachable_reason
    assert server.hits == 0


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("169.254.169.254", "a link-local address"),
        ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("100.64.0.1", "a shared (carrier-grade NAT) address"),
        ("fd00::1", "a private address"),
        ("::ffff:10.0.0.1", "a private address"),
        ("0.0.0.0", "an unspecified address"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_which_addresses_are_refused(address, words):
    from clusters.addresses import refusal

    assert refusal(address) == words


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (bomb_yaml(), "aliases make it expand to more than 16 MiB"),
        (LOOP, "an alias refers to a value that holds it"),
        (DEEP, "nested too deeply"),
    ],
)
def test_a_hostile_yaml_kubeconfig_is_a_form_error(client, base, extra, words):
    """Before: the deep one was a 500 (RecursionError out of PyYAML's parser)."""
    client.force_login(base.owner)
    response = _import(client, kubeconfig("https://203.0.113.7:6443") + extra)
    assert response.status_code == 200
    page = response.content.decode()
    assert words in page
    assert TOKEN not in page
    assert not Cluster.objects.exists()
