"""Bench: create N installations of webapp, then re-render all after a new package version.

    .venv/bin/python bench/installations.py [--count 200]

Then packs every repository (installations.maintenance) and prints disk use per repository
before and after. Runs against a throw-away AKUA_DATA_DIR (SQLite, bare repositories on local disk) with
tasks inline (AKUA_TASKS_SYNC), so the figures are one worker's throughput including git
and the database. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import time

import _django

ROOT = _django.ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="Keep the data directory.")
    args = parser.parse_args()

    data_dir = _django.setup("akua-bench-")

    from catalog.actions import publish_package_version
    from installations import actions
    from installations.maintenance import maintain_repositories
    from installations.models import Installation, Render
    from installations.repository import Repository

    try:
        vendor_ws, customer, user = _django.tenants()

        source = ROOT / "demo" / "packages" / "webapp"
        v1 = publish_package_version(vendor_ws, source, user=user)
        v2_dir = data_dir / "webapp-1.1.0"
        shutil.copytree(source, v2_dir)
        toml = v2_dir / "akua.toml"
        toml.write_text(toml.read_text().replace('version = "1.0.0"', 'version = "1.1.0"'))
        k = v2_dir / "package.k"
        k.write_text(k.read_text().replace('tag: str = "1.27"', 'tag: str = "1.28"'))
        v2 = publish_package_version(vendor_ws, v2_dir, user=user)

        print(
            f"Creating {args.count} installations of webapp {v1.version} (each: repo + 3 commits + render)…"
        )
        start = time.perf_counter()
        for _created in _django.install_many(v1, customer, user, args.count, "bench", replicas=5):
            pass  # each one committed and rendered before the next
        created = time.perf_counter() - start
        installations = list(Installation.objects.filter(customer_workspace=customer))
        deployed = Render.objects.filter(state=Render.State.DEPLOYED).count()
        print(
            f"  {created:.1f}s, {args.count / created:.1f} installations/s ({deployed} renders deployed)"
        )

        print(f"Moving all to webapp {v2.version} and re-rendering…")
        start = time.perf_counter()
        for inst in installations:
            actions.upgrade_installation(inst, v2, user=user)
        rerendered = time.perf_counter() - start
        states = dict.fromkeys(Render.State.values, 0)
        for state in Render.objects.filter(trigger=Render.Trigger.VERSION).values_list(
            "state", flat=True
        ):
            states[state] += 1
        print(
            f"  {rerendered:.1f}s, {len(installations) / rerendered:.1f} renders/s "
            f"(commit + render + commit per installation; {states})"
        )

        _print_disk("before maintenance (loose objects)", installations, Repository)
        loose = sorted(Repository(inst.repo_path).loose_objects() for inst in installations)
        print(f"  loose objects per repository: median {loose[len(loose) // 2]}, max {loose[-1]}")

        print("Maintaining repositories (git repack, prune-packed, pack-refs)…")
        start = time.perf_counter()
        report = maintain_repositories(min_loose=0)
        took = time.perf_counter() - start
        print(
            f"  {took:.1f}s, {took / max(report.maintained, 1) * 1000:.0f} ms per repository; {report}"
        )
        _print_disk("after maintenance (packed)", installations, Repository)
        commits = len(Repository(installations[0].repo_path).log())
        print(f"Commits per repository after the upgrade: {commits}")
    finally:
        if args.keep:
            print(f"Data kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def _print_disk(when: str, installations, Repository) -> None:
    repos = [Repository(inst.repo_path) for inst in installations]
    sizes = sorted(r.disk_usage() for r in repos)
    blocks = sorted(r.disk_allocated() for r in repos)
    print(
        f"Repository disk use per installation, {when}: "
        f"{sum(sizes) / len(sizes) / 1024:.0f} KiB of files, "
        f"{sum(blocks) / len(blocks) / 1024:.0f} KiB allocated on disk (like du); "
        f"max {blocks[-1] / 1024:.0f} KiB; {sum(blocks) / 2**20:.1f} MiB for {len(blocks)}"
    )


if __name__ == "__main__":
    main()
