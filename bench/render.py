"""Median render time of a Helm-backed package and of a pure-KCL package (target: under 20 ms each).

    .venv/bin/python bench/render.py [--runs N]

Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from akua.packaging import export_schema, render  # noqa: E402

PACKAGES = ROOT / "tests" / "fixtures" / "packages"
CASES = [
    ("helm-backed (local-chart)", PACKAGES / "local-chart", render),
    ("pure KCL (pure-kcl)", PACKAGES / "pure-kcl", render),
    ("big chart (big-chart, 700 values)", PACKAGES / "big-chart", render),
    ("export, big chart", PACKAGES / "big-chart", export_schema),
]


def median_ms(fn, path: Path, runs: int) -> float:
    fn(path)  # warm up: load kcl-lib and libhelm, register the plugins
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(path)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    for label, path, fn in CASES:
        runs = args.runs if fn is render and "big" not in label else max(5, args.runs // 5)
        print(f"{label:38s} median {median_ms(fn, path, runs):7.2f} ms over {runs} runs")


if __name__ == "__main__":
    main()
