"""Vendor locks and defaults move from the wizard to the installations domain (every door
checks them), and stored input paths become canonical (`akua.packaging.paths`).

Paths were written by splitting on "." (`dbs.0.password`); the canonical form quotes a key
that is not a plain name (`"redis-ha".enabled`). Old paths of plain names are unchanged.
The wizard's FieldOverride rows are copied here; wizard 0005 then drops its table.
"""

import json
import re

import django.db.models.deletion
from django.db import migrations, models

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_INDEX = re.compile(r"(?:0|[1-9][0-9]*)\Z")


def canonical(old: str) -> str:
    """An old dotted path in the canonical syntax (frozen here: migrations keep their code)."""
    if '"' in old:
        return old  # already written in the new syntax
    out = []
    for part in old.split("."):
        if _IDENT.match(part) or _INDEX.match(part):
            out.append(part)
        else:
            out.append(json.dumps(part, ensure_ascii=False))
    return ".".join(out)


def forwards(apps, schema_editor):
    Old = apps.get_model("wizard", "FieldOverride")
    New = apps.get_model("installations", "FieldOverride")
    New.objects.bulk_create(
        New(
            package_id=row.package_id,
            installation_id=row.installation_id,
            field=canonical(row.field),
            locked=row.locked,
            has_value=row.has_value,
            value=row.value,
        )
        for row in Old.objects.all()
    )
    SensitiveInput = apps.get_model("installations", "SensitiveInput")
    for row in SensitiveInput.objects.all():
        path = canonical(row.path)
        if path != row.path:
            SensitiveInput.objects.filter(pk=row.pk).update(path=path)


def backwards(apps, schema_editor):
    Old = apps.get_model("wizard", "FieldOverride")
    New = apps.get_model("installations", "FieldOverride")
    Old.objects.bulk_create(
        Old(
            package_id=row.package_id,
            installation_id=row.installation_id,
            field=row.field,
            locked=row.locked,
            has_value=row.has_value,
            value=row.value,
        )
        for row in New.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_check_sources_schedule"),
        ("installations", "0008_maintenance_schedule"),
        ("wizard", "0004_yaml_text_for_new_installations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sensitiveinput",
            name="path",
            field=models.CharField(help_text="Input path, e.g. db.password.", max_length=300),
        ),
        migrations.CreateModel(
            name="FieldOverride",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "field",
                    models.CharField(
                        help_text='Path of the input, e.g. image.tag, replicas or config."grafana.ini".port.',
                        max_length=300,
                    ),
                ),
                (
                    "locked",
                    models.BooleanField(
                        default=False, help_text="The customer sees the value but cannot change it."
                    ),
                ),
                (
                    "has_value",
                    models.BooleanField(
                        default=False, help_text="Use the value below.", verbose_name="Set a value"
                    ),
                ),
                (
                    "value",
                    models.JSONField(
                        blank=True,
                        help_text="JSON: the default (or, when locked, the fixed) value.",
                        null=True,
                    ),
                ),
                (
                    "installation",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: every installation of the package.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="field_overrides",
                        to="installations.installation",
                    ),
                ),
                (
                    "package",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="field_overrides",
                        to="catalog.package",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("package", "installation", "field"),
                        name="installations_one_override_per_field",
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
