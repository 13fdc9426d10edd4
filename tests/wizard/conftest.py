"""The wizard's tests: the shared cast (`base`), its vendor publishing `wizard-web` (every kind of field)."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.actions import publish_package_version

PACKAGE_DIR = Path(__file__).parent / "package"

# An inputs.yaml as a person writes it: comments, an order of their own.
HAND_EDITED = """\
# Production shop: talk to ops before changing replicas.
name: shop   # used in resource names
replicas: 3

# Ports are fixed by the load balancer.
port: 8080
labels:
  team: web   # owner
"""


@pytest.fixture
def web(base):
    """`wizard-web`, published by the shared cast's vendor (tests/conftest.py `base`)."""
    return publish_package_version(base.acme, PACKAGE_DIR, user=base.vendor)


@pytest.fixture
def owner_client(client, base, web):
    """globex's owner, signed in."""
    client.force_login(base.owner)
    return client


@pytest.fixture
def inst(web, queued_renders, install):
    """An installation of `shop` whose inputs.yaml is HAND_EDITED,
    committed by hand on top (comments, order and quoting a person wrote)."""
    from installations.actions import repository
    from installations.inputs import INPUTS_FILE
    from installations.repository import AKUA

    inst = install(web, "shop", inputs={"name": "shop"})
    repo = repository(inst)
    repo.commit_files(
        {INPUTS_FILE: HAND_EDITED.encode()},
        "Hand edit",
        author=AKUA,
        parent=repo.head(),
    )
    return inst
