"""A Kubernetes API emulator for tests, benches and the demo — not a real cluster.

    emulator = Emulator().start()          # or the `k8s_emulator` pytest fixture
    api = kubernetes.client.AppsV1Api(emulator.api_client())
    dyn = emulator.dynamic_client()        # discovery works; server-side apply too
    emulator.kubeconfig()                  # YAML (CA inline, token) to import it as a cluster
    emulator.kubeconfig(auth="certificate")  # … with the admin client certificate instead
    emulator.set_unreachable(True); emulator.set_latency(0.5); emulator.requests
    emulator.stop()

It serves HTTPS with its own CA, discovery and OpenAPI v3 built from Kubernetes' own
OpenAPI document, objects with every verb (server-side apply and field ownership,
`dryRun=All`, watches), the defaults and canonical quantities a real server stores, and
simulated controllers that move status over time. What it serves and what it does not is
in README.md next to this file; the modules: `emulator.py` (the Emulator), `handler.py`
(HTTPS, authentication, faults), `api.py` (routes), `discovery.py`, `openapi.py`,
`resources.py` and `swagger.py` (what is served), `store.py` (objects and verbs), `ssa.py`
(field ownership), `canonical.py` and `quantity.py`, `defaults/`, `validation.py`,
`watch.py`, `controller/` (status over time), `tls.py` (the CA).
"""

from .emulator import Emulator
from .wait import eventually

__all__ = ["Emulator", "eventually"]
