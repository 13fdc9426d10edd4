"""The `k8s_emulator` pytest fixture: import it into a conftest.py.

    from tests.k8s_emulator.fixtures import k8s_emulator  # noqa: F401

One emulator per test, started and stopped around it, with fast timings (a workload is ready
after 0.2 s; a failing Deployment exceeds its progress deadline after 1 s). A test that needs
other timings sets `k8s_emulator.ready_after` / `.progress_deadline` itself.
"""

from __future__ import annotations

import pytest

from . import Emulator


@pytest.fixture
def k8s_emulator():
    emulator = Emulator().start()
    try:
        yield emulator
    finally:
        emulator.stop()
