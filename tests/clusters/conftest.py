"""The Kubernetes API emulator, for every test in this directory."""

from tests.k8s_emulator.fixtures import k8s_emulator  # noqa: F401
