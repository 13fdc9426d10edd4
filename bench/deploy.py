"""Bench: apply and health-check N installations against the Kubernetes API emulator.

    .venv/bin/python bench/deploy.py [--count 300] [--workers 2]

Setup (not timed): a throw-away AKUA_DATA_DIR (SQLite, local repositories), the emulator in
this process (HTTPS with its own CA, as a cluster; workloads ready after 0.2 s), the demo `webapp` package, N installations
rendered inline with the apply task held back. Timed: `--workers` threads take
installations from a queue and run the apply task body (`installations.deploy.apply.run_apply`:
read manifests/, server-side apply, prune check, first health read), then health checks
repeat until every installation is healthy. Prints installations per minute and API
requests per installation (counted by the emulator). Asserts nothing.
"""

from __future__ import annotations

import argparse
import queue
import shutil
import threading
import time

import _django

ROOT = _django.ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="Keep the data directory.")
    args = parser.parse_args()

    data_dir = _django.setup("akua-bench-deploy-")

    from unittest import mock

    from django.db import connection

    from catalog.actions import publish_package_version
    from clusters import actions as cluster_actions
    from emulators.kubernetes import Emulator
    from installations import actions
    from installations.deploy.apply import run_apply
    from installations.deploy.assign import latest_render
    from installations.deploy.monitor import check_health
    from installations.models import Installation

    emulator = Emulator(ready_after=0.2).start()
    try:
        vendor_ws, customer, user = _django.tenants()
        version = publish_package_version(
            vendor_ws, ROOT / "demo" / "packages" / "webapp", user=user
        )
        cluster = cluster_actions.import_cluster(
            workspace=customer, name="emulator", kubeconfig_text=emulator.kubeconfig()
        )

        started = time.perf_counter()
        with mock.patch("installations.enqueue.enqueue_apply"):
            for inst in _django.install_many(
                version,
                customer,
                user,
                args.count,
                "app",
                replicas=3,
                cluster=cluster,
                namespaced=True,
            ):
                actions.run_render(inst.renders.get().pk)
        print(f"setup: {args.count} installations rendered in {time.perf_counter() - started:.1f}s")

        work: queue.Queue = queue.Queue()
        for inst in Installation.objects.all():
            work.put((inst.pk, latest_render(inst).pk))
        emulator.requests.clear()
        errors: list[str] = []

        def worker() -> None:
            try:
                while True:
                    try:
                        installation_id, render_id = work.get_nowait()
                    except queue.Empty:
                        return
                    run_apply(installation_id, render_id)
            except Exception as exc:  # a bench reports, it does not stop
                errors.append(f"{type(exc).__name__}: {exc}")
            finally:
                connection.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(args.workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        applied_at = time.perf_counter() - started
        apply_requests = emulator.request_count()
        rounds = 0
        while True:
            rounds += 1
            pending = [
                i for i in Installation.objects.select_related("cluster").exclude(state="healthy")
            ]
            for inst in pending:
                check_health(inst)
            if not Installation.objects.exclude(state="healthy").exists():
                break
            if time.perf_counter() - started > 600:
                print("gave up waiting for health after 10 minutes")
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        healthy = Installation.objects.filter(state="healthy").count()
        total_requests = emulator.request_count()
        print(f"workers: {args.workers} threads; errors: {len(errors)} {errors[:3]}")
        print(
            f"apply: {args.count} installations in {applied_at:.1f}s "
            f"= {args.count / applied_at * 60:.0f} installations/min "
            f"({apply_requests / args.count:.1f} API requests each, incl. the first health read)"
        )
        print(
            f"apply + healthy: {healthy}/{args.count} healthy after {elapsed:.1f}s "
            f"= {healthy / elapsed * 60:.0f} installations/min; "
            f"{total_requests / args.count:.1f} API requests per installation "
            f"({rounds} health rounds)"
        )
        verbs = {}
        for (verb, _path), n in emulator.requests.items():
            verbs[verb] = verbs.get(verb, 0) + n
        print("requests by verb:", dict(sorted(verbs.items())))
    finally:
        emulator.stop()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"data kept in {data_dir}")


if __name__ == "__main__":
    main()
