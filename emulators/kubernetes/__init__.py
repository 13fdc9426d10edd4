"""A Kubernetes API emulator for tests: the real `kubernetes` client talks to it over HTTP.

    emulator = Emulator().start()          # or the `k8s_emulator` pytest fixture
    api = kubernetes.client.AppsV1Api(emulator.api_client())
    dyn = emulator.dynamic_client()        # discovery works; server-side apply too
    emulator.kubeconfig()                  # YAML to import it as a cluster
    emulator.set_unreachable(True); emulator.set_latency(0.5); emulator.requests
    emulator.stop()

What it serves (see each module): discovery (`resources.py`), objects with get/list (label
and field selectors)/create/update/merge patch/server-side apply/delete (`store.py`,
field ownership in `ssa.py`), and simulated controllers that move status over time
(`controller.py`). Not served: watches (405), pagination (`limit` is ignored), JSON patch,
admission, RBAC (one token is all-powerful), TLS.
"""

from .server import Emulator
from .wait import eventually

__all__ = ["Emulator", "eventually"]
