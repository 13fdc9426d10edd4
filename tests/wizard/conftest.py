"""The wizard's tests: a vendor publishing `wizard-web` (every kind of field), a customer, an outsider."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from catalog.actions import publish_package_version
from catalog.models import Membership, Workspace

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
def wz(db):
    User = get_user_model()
    acme = Workspace.objects.create(slug="acme-w", name="Acme", kind=Workspace.Kind.VENDOR)
    globex = Workspace.objects.create(slug="globex-w", name="Globex", kind=Workspace.Kind.CUSTOMER)
    initech = Workspace.objects.create(
        slug="initech-w", name="Initech", kind=Workspace.Kind.CUSTOMER
    )
    vendor = User.objects.create_user("w-vendor", password="pw-vendor-123")
    alice = User.objects.create_user("w-alice", password="pw-alice-123")
    mallory = User.objects.create_user("w-mallory", password="pw-mallory-123")
    Membership.objects.create(workspace=acme, user=vendor, role=Membership.Role.OWNER)
    Membership.objects.create(workspace=globex, user=alice, role=Membership.Role.OWNER)
    Membership.objects.create(workspace=initech, user=mallory, role=Membership.Role.OWNER)
    version = publish_package_version(acme, PACKAGE_DIR, user=vendor)
    return SimpleNamespace(
        acme=acme,
        globex=globex,
        initech=initech,
        vendor=vendor,
        alice=alice,
        mallory=mallory,
        version=version,
    )


@pytest.fixture
def no_render(monkeypatch):
    """Render requests are collected instead of going to django-q2."""
    from installations import enqueue

    queued: list[str] = []
    monkeypatch.setattr(enqueue, "enqueue_render", queued.append)
    return queued


@pytest.fixture
def alice_client(client, wz):
    client.force_login(wz.alice)
    return client


@pytest.fixture
def inst(wz, no_render, django_capture_on_commit_callbacks):
    """An installation of `shop` whose inputs.yaml is HAND_EDITED,
    committed by hand on top (comments, order and quoting a person wrote)."""
    from installations.actions import create_installation, repository
    from installations.inputs import INPUTS_FILE
    from installations.repository import AKUA

    with django_capture_on_commit_callbacks(execute=True):
        inst = create_installation(
            package_version=wz.version,
            customer_workspace=wz.globex,
            name="shop",
            inputs={"name": "shop"},
            user=wz.alice,
        )
    repo = repository(inst)
    repo.commit_files(
        {INPUTS_FILE: HAND_EDITED.encode()},
        "Hand edit",
        author=AKUA,
        parent=repo.head(),
    )
    return inst
