"""catalog 0006: installations made before ties existed keep their vendor's access — each
(vendor, customer) pair with an installation gets an accepted tie, origin "existing"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrating import catalog_at

TIES = ("catalog", "0005_vendor_ties")
EXISTING = ("catalog", "0006_ties_for_existing_installations")


@pytest.mark.django_db(transaction=True)
def test_each_vendor_and_customer_with_an_installation_is_tied():
    executor = MigrationExecutor(connection)
    others = [leaf for leaf in executor.loader.graph.leaf_nodes() if leaf[0] != "catalog"]
    before, after = [TIES, *others], [EXISTING, *others]
    apps, rows = catalog_at(executor, before)
    Workspace = apps.get_model("catalog", "Workspace")
    other = Workspace.objects.create(slug="o", name="O", kind="vendor")
    Workspace.objects.create(slug="n", name="N", kind="customer")  # installs nothing
    for i, where in enumerate((rows.customer, rows.customer, rows.vendor)):  # two in c, one in v
        apps.get_model("installations", "Installation").objects.create(
            id=f"inst_m{i}",
            name=f"i{i}",
            workspace=rows.vendor,
            customer_workspace=where,
            package_version=rows.version,
        )

    executor.loader.build_graph()
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    ties = apps.get_model("catalog", "VendorTie").objects.values_list(
        "vendor__slug", "customer__slug", "state", "origin"
    )
    assert list(ties) == [("v", "c", "accepted", "existing")]
    assert other.pk  # a vendor with no installation gets nothing

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
