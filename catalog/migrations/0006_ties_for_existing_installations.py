"""Installations made before ties existed keep working: each (vendor, customer) pair that
has an installation gets an accepted tie (origin "existing"), so nobody loses what they saw
the day this is deployed. The customer may end it on its Vendors page like any other."""

from django.db import migrations
from django.utils import timezone


def tie_existing_pairs(apps, schema_editor):
    Installation = apps.get_model("installations", "Installation")
    VendorTie = apps.get_model("catalog", "VendorTie")
    pairs = (
        Installation.objects.filter(customer_workspace__kind="customer", workspace__kind="vendor")
        .values_list("workspace_id", "customer_workspace_id")
        .distinct()
    )
    now = timezone.now()
    for vendor_id, customer_id in pairs:
        VendorTie.objects.get_or_create(
            vendor_id=vendor_id,
            customer_id=customer_id,
            defaults={"state": "accepted", "origin": "existing", "decided_at": now},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_vendor_ties"),
        ("installations", "0001_initial"),
    ]

    operations = [migrations.RunPython(tie_existing_pairs, migrations.RunPython.noop)]
