"""FieldOverride moved to installations (copied by installations 0009)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("wizard", "0004_yaml_text_for_new_installations"),
        ("installations", "0009_field_overrides_and_canonical_paths"),
    ]

    operations = [
        migrations.DeleteModel(
            name="FieldOverride",
        ),
    ]
