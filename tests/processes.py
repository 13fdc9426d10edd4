"""Python started as a separate process from the repository's root, as a person would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def python_in_repo(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`python *args` in the repository's root with exactly `env`; its output as text."""
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
