"""The render child: `python -I -c <boot> <akua tree> <config JSON>` (see akua.packaging.sandbox.pool).

Order matters. Limits and namespaces come first, while this interpreter is still one
thread and has loaded neither kcl-lib nor the Helm engine's Go runtime; only then are
the engines imported (akua.packaging.sandbox.child), warmed up, and the process sealed.
Nothing above the `child` import may import kcl_lib or helm_python.
"""

import json
import os
import sys

from akua.packaging.sandbox import isolate


def main() -> int:
    config = json.loads(sys.argv[-1])
    root = config["root"]
    kubectl = config.get("kubectl")
    answer_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # KCL's print and any engine chatter go to the log, never into the answer
    try:
        isolate.set_limits(
            memory_mib=config["memory_mib"],
            warmup_cpu_seconds=config["warmup_cpu_seconds"],
            file_mib=config["file_mib"],
        )
        state = isolate.enter(root, kubectl=kubectl, namespaces=config["namespaces"])
        from akua.packaging.sandbox import child
    except Exception as exc:
        print(f"akua sandbox: could not start: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 70
    try:
        child.serve(root, state, answer_out, kubectl=kubectl)
    except Exception as exc:
        print(f"akua sandbox: {type(exc).__name__}: {exc}", file=sys.stderr)
        return child.START_FAILED
    return 0


if __name__ == "__main__":
    status = main()
    sys.stderr.flush()
    # No interpreter shutdown: tearing down kcl-lib and the Go runtime takes ~90 ms and
    # nothing is left to clean up (the parent removes the private root).
    os._exit(status)
