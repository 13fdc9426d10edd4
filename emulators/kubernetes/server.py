"""The emulator's HTTP face: routes, authentication, fault injection, and the `Emulator` itself."""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import yaml

from .controller import Controller, pod_log
from .resources import Registry, ResourceType
from .store import ApiError, Store, bad_request

VERSION = {
    "major": "1",
    "minor": "31",
    "gitVersion": "v1.31.4-akua-emulator",
    "gitCommit": "0000000000000000000000000000000000000000",
    "gitTreeState": "clean",
    "buildDate": "2025-01-01T00:00:00Z",
    "goVersion": "go1.23.4",
    "compiler": "gc",
    "platform": "linux/amd64",
}
_NOT_FOUND = ApiError(404, "NotFound", "the server could not find the requested resource", {})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    emulator: Emulator

    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout, dropped connection) is not the emulator's fault


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle + delayed ACK cost 40 ms each.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_DELETE(self):
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        em = self.server.emulator
        if em.unreachable:  # drop the connection without an answer
            self.close_connection = True
            return
        if em.latency:
            time.sleep(em.latency)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        try:
            status, body, verb = em._route(method, url.path, query, raw, dict(self.headers))
        except ApiError as e:
            status, body, verb = e.code, e.status(), method.lower()
        em._count(verb, url.path)
        if isinstance(body, str):
            data, ctype = body.encode(), "text/plain"
        else:
            data, ctype = json.dumps(body).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Emulator:
    """A Kubernetes API server in a thread, for tests: `Emulator().start()` ... `.stop()`.

    Settings (attributes, changeable while running): `ready_after` (seconds before a workload
    becomes ready), `progress_deadline` (seconds before a `-fail` Deployment reports
    ProgressDeadlineExceeded), `tick` (controller period), `token` (the bearer token it
    accepts; change it to make clients get 401).
    """

    def __init__(
        self,
        *,
        ready_after: float = 0.2,
        progress_deadline: float = 1.0,
        tick: float = 0.05,
        token: str = "akua-emulator-token",
        nodes: int = 3,
        controller: bool = True,
    ):
        self.ready_after, self.progress_deadline, self.tick = ready_after, progress_deadline, tick
        self.token = token
        self.nodes = nodes
        self.registry = Registry()
        self.store = Store(self.registry)
        self.controller = Controller(self.store, self)
        self._run_controller = controller
        self.unreachable = False
        self.latency = 0.0
        self.requests: Counter = Counter()
        self._requests_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self._started = False
        self._cache_dir: str | None = None
        self._seed()

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Emulator:
        self._started = True
        self._cache_dir = tempfile.mkdtemp(prefix="k8s-emulator-")
        self._listen()
        if self._run_controller:
            self.controller.start()
        return self

    def stop(self) -> None:
        self._started = False
        self.controller.stop()
        self._close()
        if self._cache_dir:
            shutil.rmtree(self._cache_dir, ignore_errors=True)
            self._cache_dir = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _listen(self) -> None:
        server = _Server(("127.0.0.1", self.port), _Handler)
        server.emulator = self
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def _close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = self._thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- fault injection and bookkeeping ---------------------------------------------------------

    def set_unreachable(self, unreachable: bool = True) -> None:
        """Stop listening (new connections are refused; open ones are dropped), or listen again
        on the same port."""
        self.unreachable = unreachable
        if unreachable:
            self._close()
        elif self._server is None and self._started:
            self._listen()

    def set_latency(self, seconds: float) -> None:
        """Delay every answer by `seconds`."""
        self.latency = seconds

    def _count(self, verb: str, path: str) -> None:
        with self._requests_lock:
            self.requests[(verb, path)] += 1

    def request_count(self, verb: str | None = None, path_prefix: str = "") -> int:
        """How many requests were answered, optionally only one verb (`get`, `list`, `apply`...)."""
        with self._requests_lock:
            return sum(
                n
                for (v, p), n in self.requests.items()
                if (verb is None or v == verb) and p.startswith(path_prefix)
            )

    def reset(self) -> None:
        """Back to a fresh cluster: objects, CRDs, counters and faults."""
        with self.store.lock:
            self.store.reset()
            self.registry.reset()
            self._seed()
        with self._requests_lock:
            self.requests.clear()
        self.set_latency(0)
        self.set_unreachable(False)

    def _seed(self) -> None:
        """What a fresh kind-like cluster has: namespaces, nodes, a default StorageClass, an IngressClass."""
        for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
            self._system("v1", "Namespace", {"metadata": {"name": ns}})
        for i in range(1, self.nodes + 1):
            self._system(
                "v1",
                "Node",
                {
                    "metadata": {
                        "name": f"emulator-node-{i}",
                        "labels": {"kubernetes.io/os": "linux"},
                    },
                    "spec": {},
                    "status": {
                        "conditions": [
                            {"type": "Ready", "status": "True", "reason": "KubeletReady"}
                        ],
                        "nodeInfo": {
                            "architecture": "amd64",
                            "bootID": f"00000000-0000-4000-8000-00000000000{i}",
                            "containerRuntimeVersion": "containerd://1.7.24",
                            "kernelVersion": "6.8.0-emulator",
                            "kubeProxyVersion": VERSION["gitVersion"],
                            "kubeletVersion": VERSION["gitVersion"],
                            "machineID": f"emulator{i:024d}",
                            "operatingSystem": "linux",
                            "osImage": "Debian GNU/Linux 12 (bookworm)",
                            "systemUUID": f"00000000-0000-4000-8000-00000000010{i}",
                        },
                    },
                },
            )
        self._system(
            "storage.k8s.io/v1",
            "StorageClass",
            {
                "metadata": {
                    "name": "standard",
                    "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
                },
                "provisioner": "rancher.io/local-path",
                "reclaimPolicy": "Delete",
                "volumeBindingMode": "Immediate",
            },
        )
        self._system(
            "networking.k8s.io/v1",
            "IngressClass",
            {
                "metadata": {
                    "name": "nginx",
                    "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"},
                },
                "spec": {"controller": "k8s.io/ingress-nginx"},
            },
        )

    def _system(self, api_version: str, kind: str, obj: dict) -> None:
        rt = self.registry.by_kind(api_version, kind)
        self.store.system_create(rt, {"apiVersion": api_version, "kind": kind, **obj})

    # -- direct access for tests ---------------------------------------------------------------

    def get(self, kind: str, name: str, namespace: str | None = None) -> dict | None:
        """The object as the API would serve it, or None; `kind` as in manifests (`Deployment`)."""
        rt = self.registry.any_by_kind(kind)
        if rt is None:
            return None
        with self.store.lock:
            rec = self.store.find(rt, namespace, name)
            return self.store.render(rec) if rec else None

    def objects(self, kind: str, namespace: str | None = None) -> list[dict]:
        rt = self.registry.any_by_kind(kind)
        if rt is None:
            return []
        with self.store.lock:
            return [self.store.render(r) for r in self.store.select(rt, namespace)]

    def step(self) -> None:
        """Run the simulated controllers once, now."""
        self.controller.step()

    # -- clients -----------------------------------------------------------------------------

    def kubeconfig(self, context: str = "emulator", namespace: str = "default") -> str:
        """A kubeconfig YAML for this emulator (http, bearer token)."""
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": context, "cluster": {"server": self.url}}],
            "users": [{"name": f"{context}-admin", "user": {"token": self.token}}],
            "contexts": [
                {
                    "name": context,
                    "context": {
                        "cluster": context,
                        "user": f"{context}-admin",
                        "namespace": namespace,
                    },
                }
            ],
            "current-context": context,
            "preferences": {},
        }
        return yaml.safe_dump(config, sort_keys=False)

    def configuration(self):
        from kubernetes import client

        config = client.Configuration(host=self.url)
        config.api_key = {"BearerToken": self.token}
        config.api_key_prefix = {"BearerToken": "Bearer"}
        return config

    def api_client(self):
        from kubernetes import client

        return client.ApiClient(self.configuration())

    def dynamic_client(self):
        """A DynamicClient whose discovery cache is private (the default file is shared per host)."""
        from kubernetes.dynamic import DynamicClient

        cache = os.path.join(
            self._cache_dir or tempfile.gettempdir(), f"discovery-{uuid.uuid4().hex}.json"
        )
        return DynamicClient(self.api_client(), cache_file=cache)

    # -- routing -------------------------------------------------------------------------------

    def _route(self, method: str, path: str, query: dict, raw: bytes, headers: dict):
        """(HTTP status, body, verb for counting)."""
        parts = [p for p in path.split("/") if p]
        path = "/" + "/".join(parts)  # `/version/` is `/version`
        auth = headers.get("Authorization") or headers.get("authorization")
        if auth is None:
            if path not in ("/version", "/healthz", "/livez", "/readyz"):
                raise ApiError(
                    403,
                    "Forbidden",
                    f'forbidden: User "system:anonymous" cannot {method.lower()} path "{path}"',
                    {},
                )
        elif auth != f"Bearer {self.token}":
            raise ApiError(401, "Unauthorized", "Unauthorized")
        if method == "GET":
            doc = self._discovery(path, parts)
            if doc is not None:
                return 200, doc, "get"
        if parts[:2] == ["api", "v1"]:
            group, version, rest = "", "v1", parts[2:]
        elif len(parts) >= 3 and parts[0] == "apis":
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            raise _NOT_FOUND
        with self.store.lock:
            rt, namespace, name, sub = self._resolve(group, version, rest)
            return self._serve(method, rt, namespace, name, sub, query, raw, headers)

    def _discovery(self, path: str, parts: list[str]):
        if path in ("/healthz", "/livez", "/readyz"):
            return "ok"
        if path == "/version":
            return VERSION
        with self.store.lock:
            if parts == ["api"]:
                return self.registry.api_versions(f"127.0.0.1:{self.port}")
            if parts == ["api", "v1"]:
                return self.registry.resource_list("", "v1")
            if parts == ["apis"]:
                return self.registry.api_group_list()
            if len(parts) == 2 and parts[0] == "apis":
                return self.registry.api_group(parts[1]) or _raise(_NOT_FOUND)
            if len(parts) == 3 and parts[0] == "apis":
                return self.registry.resource_list(parts[1], parts[2]) or _raise(_NOT_FOUND)
        return None

    def _resolve(self, group: str, version: str, rest: list[str]):
        if not rest:
            raise _NOT_FOUND
        if rest[0] == "namespaces" and len(rest) >= 3:
            rt = self.registry.lookup(group, version, rest[2])
            if rt is not None and rt.namespaced:
                name = rest[3] if len(rest) > 3 else None
                sub = rest[4] if len(rest) > 4 else None
                if len(rest) > 5:
                    raise _NOT_FOUND
                return rt, rest[1], name, sub
        rt = self.registry.lookup(group, version, rest[0])
        if rt is None or len(rest) > 3:
            raise _NOT_FOUND
        name = rest[1] if len(rest) > 1 else None
        sub = rest[2] if len(rest) > 2 else None
        return rt, None, name, sub

    def _serve(self, method, rt: ResourceType, namespace, name, sub, query, raw, headers):
        store = self.store
        if sub is not None and sub not in rt.subresources:
            raise _NOT_FOUND
        manager = (
            query.get("fieldManager") or (headers.get("User-Agent") or "unknown").split("/")[0]
        )
        ctype = (headers.get("Content-Type") or "application/json").split(";")[0].strip()
        labels, fields = query.get("labelSelector"), query.get("fieldSelector")
        if name is None:
            if method == "GET":
                if query.get("watch") in ("true", "1"):
                    raise ApiError(405, "MethodNotAllowed", "the emulator does not serve watches")
                return 200, store.list(rt, namespace, labels, fields), "list"
            if method == "POST":
                return 201, store.create(rt, namespace, _body(raw, ctype), manager), "create"
            if method == "DELETE":
                return (
                    200,
                    store.delete_collection(rt, namespace, labels, fields),
                    "deletecollection",
                )
            raise ApiError(
                405,
                "MethodNotAllowed",
                "the server does not allow this method on the requested resource",
            )
        if sub == "log":
            return 200, self._log(rt, namespace, name, query), "get"
        if method == "GET":
            return 200, store.get(rt, namespace, name), "get"
        if method == "PUT":
            return (
                200,
                store.replace(rt, namespace, name, _body(raw, ctype), manager, sub),
                "update",
            )
        if method == "DELETE":
            return 200, store.delete(rt, namespace, name), "delete"
        if method == "PATCH":
            body = _body(raw, ctype)
            if ctype == "application/apply-patch+yaml":
                if sub == "status":
                    return 200, store.merge_patch(rt, namespace, name, body, manager, sub), "apply"
                existed = store.find(rt, namespace, name) is not None
                force = query.get("force") in ("true", "1", "True")
                out = store.apply(rt, namespace, name, body, query.get("fieldManager"), force)
                return (200 if existed else 201), out, "apply"
            if ctype in ("application/merge-patch+json", "application/strategic-merge-patch+json"):
                return 200, store.merge_patch(rt, namespace, name, body, manager, sub), "patch"
            raise ApiError(
                415,
                "UnsupportedMediaType",
                f"the body of the request was in an unknown format: {ctype}",
            )
        raise ApiError(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        )

    def _log(self, rt: ResourceType, namespace, name, query) -> str:
        rec = self.store.find(rt, namespace, name)
        if rec is None:
            raise ApiError(
                404, "NotFound", f'pods "{name}" not found', {"name": name, "kind": "pods"}
            )
        containers = [c["name"] for c in rec.obj["spec"].get("containers") or []]
        container = query.get("container")
        if container is None and len(containers) > 1:
            raise bad_request(
                f"a container name must be specified for pod {name}, choose one of: [{' '.join(containers)}]"
            )
        if container is not None and container not in containers:
            raise bad_request(f"container {container} is not valid for pod {name}")
        state = rec.sim.get("state", "running")  # pods nobody's controller made just run
        if state in ("creating", "ImagePullBackOff"):
            reason = (
                "trying and failing to pull image"
                if state == "ImagePullBackOff"
                else "ContainerCreating"
            )
            raise bad_request(
                f'container "{container or containers[0]}" in pod "{name}" is waiting to start: {reason}'
            )
        lines = pod_log(rec.obj, container, state)
        if "tailLines" in query:
            n = int(query["tailLines"])
            lines = lines[-n:] if n > 0 else []
        return "".join(line + "\n" for line in lines)


def _raise(error: Exception):
    raise error


def _body(raw: bytes, ctype: str):
    if not raw:
        raise bad_request("the body of the request was empty")
    try:
        if "yaml" in ctype:
            return yaml.safe_load(raw)
        return json.loads(raw)
    except (ValueError, yaml.YAMLError) as e:
        raise bad_request(f"the body of the request was in an unknown format: {e}") from None
