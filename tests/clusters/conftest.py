"""The Kubernetes API emulator, for every test in this directory."""

from tests.clusters.akua_fixtures import cluster, installed, web_version  # noqa: F401
from tests.k8s_emulator.fixtures import k8s_emulator  # noqa: F401
