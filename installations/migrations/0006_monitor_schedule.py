"""The django-q2 schedule of the installations monitor: every minute (django-q2's finest
interval), `installations.tasks.monitor_installations` reads every installation's health
and drift. Removes the schedule of the same job under its former name (`clusters: monitor`,
`clusters.tasks.monitor`) where an early development database has it."""

from django.db import migrations

NAME = "installations: monitor"
FORMER = "clusters: monitor"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name=FORMER, func="clusters.tasks.monitor").delete()
    Schedule.objects.get_or_create(
        name=NAME,
        defaults={
            "func": "installations.tasks.monitor_installations",
            "schedule_type": "I",
            "minutes": 1,
            "repeats": -1,
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("installations", "0005_apply_inventory"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
