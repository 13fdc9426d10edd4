"""installations 0009: vendor overrides move from the wizard to installations, and stored
input paths become canonical (`"redis-ha".password`); plain dotted paths stay as they were."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrating import catalog_at

BEFORE = [
    ("installations", "0008_maintenance_schedule"),
    ("wizard", "0004_yaml_text_for_new_installations"),
]
AFTER = [
    ("installations", "0009_field_overrides_and_canonical_paths"),
    ("wizard", "0005_delete_fieldoverride"),
]


@pytest.mark.django_db(transaction=True)
def test_overrides_are_copied_and_paths_made_canonical():
    executor = MigrationExecutor(connection)
    apps, rows = catalog_at(executor, BEFORE)
    SensitiveInput = apps.get_model("installations", "SensitiveInput")
    Old = apps.get_model("wizard", "FieldOverride")
    package = rows.package
    inst = apps.get_model("installations", "Installation").objects.create(
        id="inst_migration",
        name="i",
        workspace=rows.vendor,
        customer_workspace=rows.customer,
        package_version=rows.version,
    )
    Old.objects.create(package=package, field="image.tag", locked=True)
    Old.objects.create(
        package=package, installation=inst, field="redis-ha.enabled", has_value=True, value=True
    )
    for path in ("db.password", "dbs.0.pass-word", "config.grafana ini"):
        SensitiveInput.objects.create(
            installation=inst, path=path, marker="m", value_encrypted=b"x"
        )

    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    New = apps.get_model("installations", "FieldOverride")
    rows = {(r.field, r.locked, r.has_value, r.value, r.installation_id) for r in New.objects.all()}
    assert rows == {
        ("image.tag", True, False, None, None),
        ('"redis-ha".enabled', False, True, True, "inst_migration"),
    }
    paths = set(
        apps.get_model("installations", "SensitiveInput").objects.values_list("path", flat=True)
    )
    assert paths == {"db.password", 'dbs.0."pass-word"', 'config."grafana ini"'}

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
