"""Run the emulator on its own: `python -m emulators.kubernetes --port 8089 [--kubeconfig FILE]`.

Used by `manage.py serve` for the demo's "Emulator (not a real cluster)". It listens on
127.0.0.1 only, over HTTPS with a CA made at start, writes its kubeconfig (the CA inline,
the bearer token, or with `--client-certificate` the admin certificate) to FILE — written
whole once it listens — or prints it, and runs until SIGTERM/Ctrl-C. Workloads become ready
after `--ready-after` seconds (3 by default, so the demo shows installations going from
syncing to healthy).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from .emulator import Emulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m emulators.kubernetes")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default="akua-emulator-token")
    parser.add_argument("--kubeconfig", help="write the kubeconfig here instead of printing it")
    parser.add_argument(
        "--client-certificate",
        action="store_true",
        help="the kubeconfig authenticates with the admin client certificate, not the token",
    )
    parser.add_argument("--ready-after", type=float, default=3.0)
    parser.add_argument("--progress-deadline", type=float, default=20.0)
    args = parser.parse_args(argv)
    emulator = Emulator(
        ready_after=args.ready_after, progress_deadline=args.progress_deadline, token=args.token
    )
    emulator.port = args.port
    emulator.start()
    config = emulator.kubeconfig(auth="certificate" if args.client_certificate else "token")
    if args.kubeconfig:
        partial = f"{args.kubeconfig}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(config)
        os.replace(partial, args.kubeconfig)
    else:
        sys.stdout.write(config)
    sys.stdout.write(
        f"# Kubernetes API emulator (not a real cluster) listening on {emulator.url}\n"
    )
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
