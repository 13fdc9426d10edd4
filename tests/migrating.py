"""For the tests of data migrations: the database at a point of its migrations, with rows."""

from __future__ import annotations

from types import SimpleNamespace

from django.db.migrations.executor import MigrationExecutor


def catalog_at(executor: MigrationExecutor, targets):
    """Migrate to `targets` and add, with the models as they are there, a vendor workspace
    (`v`), a customer workspace (`c`) and the vendor's package `p` with a version 1.0.0
    (`pv_m`). Returns the app registry there and the rows."""
    executor.migrate(targets)
    apps = executor.loader.project_state(targets).apps
    Workspace = apps.get_model("catalog", "Workspace")
    vendor = Workspace.objects.create(slug="v", name="V", kind="vendor")
    customer = Workspace.objects.create(slug="c", name="C", kind="customer")
    package = apps.get_model("catalog", "Package").objects.create(workspace=vendor, name="p")
    version = apps.get_model("catalog", "PackageVersion").objects.create(
        id="pv_m", package=package, version="1.0.0", archive=b"", digest="d", input_schema={}
    )
    rows = SimpleNamespace(vendor=vendor, customer=customer, package=package, version=version)
    return apps, rows
