"""The `Emulator`: a Kubernetes API server in a thread, its faults, and clients for it."""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
import threading
import uuid
from collections import Counter
from pathlib import Path

import yaml

from .controller import Controller
from .handler import Server
from .resources import Registry, ResourceType
from .seed import seed
from .store import Store
from .tls import ADMIN_USER, Authority


class Emulator:
    """A Kubernetes API server in a thread, for tests: `Emulator().start()` ... `.stop()`.

    It serves HTTPS with a CA of its own, made at start (`ca_pem`); clients present the
    admin certificate or the bearer token. Settings (attributes, changeable while
    running): `ready_after` (seconds before a workload becomes ready), `progress_deadline`
    (seconds before a `-fail` Deployment reports ProgressDeadlineExceeded), `tick`
    (controller period), `namespace_grace` (seconds a deleted Namespace waits before the
    namespace controller empties it, as kube-controller-manager's 5 s), `token` (the
    bearer token it accepts; change it to make clients get 401).
    """

    def __init__(
        self,
        *,
        ready_after: float = 0.2,
        progress_deadline: float = 1.0,
        tick: float = 0.05,
        namespace_grace: float = 5.0,
        token: str = "akua-emulator-token",
        nodes: int = 3,
        controller: bool = True,
    ):
        self.ready_after, self.progress_deadline, self.tick = ready_after, progress_deadline, tick
        self.namespace_grace = namespace_grace
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
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        # Held while the listener is opened or closed: a test may call `set_unreachable`
        # from a timer thread while its own thread stops the emulator.
        self._listener_lock = threading.RLock()
        self.port = 0
        self._started = False
        self._dir: Path | None = None
        self.authority: Authority | None = None
        seed(self)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Emulator:
        self._started = True
        self._dir = Path(tempfile.mkdtemp(prefix="k8s-emulator-"))
        self.authority = Authority.generate()
        self._context = self.authority.server_context(self._dir)
        (self._dir / "ca.crt").write_bytes(self.authority.cert_pem)
        self._listen()
        if self._run_controller:
            self.controller.start()
        return self

    def stop(self) -> None:
        self._started = False
        self.controller.stop()
        self._close()
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _listen(self) -> None:
        with self._listener_lock:
            if self._server is not None:
                return
            server = Server(("127.0.0.1", self.port), self._context)
            server.emulator = self
            self.port = server.server_address[1]
            self._server = server
            self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
            self._thread.start()

    def _close(self) -> None:
        with self._listener_lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
            if server is not None:
                server.shutdown()
                server.server_close()
                server.drop_connections()
                thread.join()
        with self.store.changed:
            self.store.changed.notify_all()  # watches see `stopping()` and end

    def stopping(self) -> bool:
        """Whether open watches should end: stopped, or made unreachable."""
        return not self._started or self.unreachable

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def ca_pem(self) -> bytes:
        return self.authority.cert_pem

    # -- fault injection and bookkeeping ---------------------------------------------------------

    def set_unreachable(self, unreachable: bool = True) -> None:
        """Stop listening (new connections are refused; open ones, watches too, are dropped),
        or listen again on the same port."""
        with self._listener_lock:
            self.unreachable = unreachable
            if unreachable:
                self._close()
            elif self._started:
                self._listen()

    def set_latency(self, seconds: float) -> None:
        """Delay every answer by `seconds`."""
        self.latency = seconds

    def count(self, verb: str, path: str) -> None:
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
            seed(self)
        with self._requests_lock:
            self.requests.clear()
        self.set_latency(0)
        self.set_unreachable(False)

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

    def crd_for(self, rt: ResourceType) -> dict | None:
        """The CustomResourceDefinition of a custom resource (None for a built-in kind)."""
        if rt.builtin:
            return None
        crd_type = self.registry.lookup("apiextensions.k8s.io", "v1", "customresourcedefinitions")
        rec = self.store.find(crd_type, None, f"{rt.plural}.{rt.group}")
        return rec.obj if rec else None

    def crd_schema(self, rt: ResourceType) -> dict:
        """The openAPIV3Schema a custom resource's CRD declares for its version."""
        crd = self.crd_for(rt)
        for version in ((crd.get("spec") or {}).get("versions") or []) if crd else []:
            if version.get("name") == rt.version:
                return (version.get("schema") or {}).get("openAPIV3Schema") or {}
        return {}

    # -- clients -----------------------------------------------------------------------------

    def kubeconfig(
        self, context: str = "emulator", namespace: str = "default", *, auth: str = "token"
    ) -> str:
        """A kubeconfig YAML for this emulator: its CA inline, and the bearer token
        (`auth="token"`) or the admin client certificate (`auth="certificate"`)."""
        if auth == "token":
            user = {"token": self.token}
        elif auth == "certificate":
            user = {
                "client-certificate-data": _b64(self.authority.admin.cert_pem),
                "client-key-data": _b64(self.authority.admin.key_pem),
            }
        else:
            raise ValueError(f"auth is token or certificate, not {auth!r}")
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": context,
                    "cluster": {
                        "server": self.url,
                        "certificate-authority-data": _b64(self.ca_pem),
                    },
                }
            ],
            "users": [{"name": f"{context}-admin", "user": user}],
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
        config.ssl_ca_cert = str(self._dir / "ca.crt")
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
            self._dir or tempfile.gettempdir(), f"discovery-{uuid.uuid4().hex}.json"
        )
        return DynamicClient(self.api_client(), cache_file=cache)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


__all__ = ["ADMIN_USER", "Emulator"]
