"""Render latency through the sandbox, and what a render child costs to start.

    .venv/bin/python bench/render.py [--runs N]

Prints, for a Helm-backed and a pure-KCL package (and the big chart and its export):
median and p95 through a warm child (the pool's normal case), then the same with one
render per child (`renders_per_child=1`: every render pays a child start), and the cost
of starting a child (wall time to ready, its CPU, its address space and resident memory).
Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from akua.packaging import export_schema, render  # noqa: E402
from akua.packaging.sandbox import configure, isolation  # noqa: E402
from akua.packaging.sandbox.pool import POOL, Child, Spawn  # noqa: E402

PACKAGES = ROOT / "tests" / "fixtures" / "packages"
CASES = [
    ("helm-backed (local-chart)", PACKAGES / "local-chart", render),
    ("pure KCL (pure-kcl)", PACKAGES / "pure-kcl", render),
    ("big chart (big-chart, 700 values)", PACKAGES / "big-chart", render),
    ("export, big chart", PACKAGES / "big-chart", export_schema),
]


def timings(fn, path: Path, runs: int) -> list[float]:
    fn(path)  # a child is started and warm
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(path)
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def child_start(samples: int) -> None:
    spawn = Spawn(memory_mib=2048, file_mib=64, kubectl=None, namespaces=True)
    walls, cpus, sizes, rss = [], [], [], []
    job = json.dumps(
        {"op": "probe", "limits": {"cpu_seconds": 5, "output_mib": 64, "resources": 1}}
    )
    for _ in range(samples):
        start = time.perf_counter()
        child = Child(spawn)
        (child.root / "job1").mkdir()
        ended = child.run(
            job.replace('"op"', '"package": "job1", "op"').encode(),
            wall_seconds=60,
            cpu_seconds=5,
            max_answer=1 << 20,
        )
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append(child._cpu() * 1000)
        status = Path(f"/proc/{child.proc.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        sizes.append(int(fields["VmSize"].split()[0]) / 1024)
        rss.append(int(fields["VmRSS"].split()[0]) / 1024)
        assert ended.alive, ended
        child.close()
    print(
        f"{'child start to first answer':38s} median {statistics.median(walls):7.1f} ms wall, "
        f"{statistics.median(cpus):6.1f} ms CPU; address space {statistics.median(sizes):.0f} MiB, "
        f"resident {statistics.median(rss):.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    for per_child, title in ((50, "warm child (default)"), (1, "one render per child")):
        configure(renders_per_child=per_child)
        POOL.shutdown()
        print(f"-- {title}")
        for label, path, fn in CASES:
            runs = args.runs if fn is render and "big" not in label else max(5, args.runs // 5)
            if per_child == 1:
                runs = max(5, runs // 3)
            ms = timings(fn, path, runs)
            print(
                f"{label:38s} median {statistics.median(ms):7.1f} ms   p95 {p95(ms):7.1f} ms"
                f"   over {runs} runs"
            )
    configure(renders_per_child=50)
    print("-- start")
    child_start(max(5, args.runs // 5))
    print(f"isolation: {isolation()}")


if __name__ == "__main__":
    main()
