"""Installations and clusters on the Kubernetes API emulator (the `k8s_emulator` fixture is in tests/conftest.py)."""

from tests.clusters.akua_fixtures import (  # noqa: F401
    chart_version,
    cluster,
    installed,
    second_cluster,
    second_emulator,
    web_version,
)
