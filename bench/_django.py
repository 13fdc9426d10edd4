"""Start Django for a benchmark: a throw-away AKUA_DATA_DIR, tasks inline, quiet logs."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(prefix: str) -> Path:
    """Point Akua at a new temporary data directory and call django.setup(); returns it."""
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["AKUA_DATA_DIR"] = str(data_dir)
    os.environ["AKUA_TASKS_SYNC"] = "true"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akua.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    logging.getLogger("django-q").setLevel(logging.WARNING)
    return data_dir


def tenants():
    """Migrate the new database and add the people every bench needs: a vendor workspace, a
    customer workspace tied to it and a user who owns the customer workspace. Returns
    (vendor workspace, customer workspace, user)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from catalog.models import Membership, VendorTie, Workspace

    call_command("migrate", verbosity=0)
    vendor = Workspace.objects.create(slug="acme", name="Acme", kind=Workspace.Kind.VENDOR)
    customer = Workspace.objects.create(slug="bench", name="Bench customer")
    VendorTie.objects.create(vendor=vendor, customer=customer, state="accepted")
    user = get_user_model().objects.create_user("bench", email="bench@example.com")
    Membership.objects.create(workspace=customer, user=user, role=Membership.Role.OWNER)
    return vendor, customer, user


def install_many(version, customer, user, count: int, prefix: str, *, replicas: int, **kwargs):
    """Create `count` installations of `version` named `<prefix>-0000`, `<prefix>-0001`, …,
    with 1 to `replicas` replicas in turn; `namespaced=True` lands each in a namespace of its
    name. Yields each as it is created."""
    from installations import actions

    namespaced = kwargs.pop("namespaced", False)
    for i in range(count):
        name = f"{prefix}-{i:04d}"
        yield actions.create_installation(
            package_version=version,
            customer_workspace=customer,
            name=name,
            inputs={"replicas": 1 + i % replicas},
            user=user,
            **({"namespace": name} if namespaced else {}),
            **kwargs,
        )
