"""Installations and clusters on the Kubernetes API emulator (the `k8s_emulator` fixture is in tests/conftest.py)."""

from tests.clusters.akua_fixtures import cluster, installed, web_version  # noqa: F401
