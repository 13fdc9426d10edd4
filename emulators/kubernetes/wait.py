"""Polling with a deadline: tests wait for the simulated controller without racing sleeps."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(
    probe: Callable[[], T], timeout: float = 30.0, interval: float = 0.02, what: str = ""
) -> T:
    """Call `probe` until it returns something truthy and return that; AssertionError at the deadline.

    The deadline is far beyond what an idle machine needs (it returns as soon as the probe
    holds): it is there for a two-core CI machine running two test workers and more."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or probe}")
        time.sleep(interval)
