"""The django-q2 schedule of the repository maintenance: once a day,
`installations.tasks.maintain_repositories` packs the repositories with many loose
objects (installations.maintenance)."""

from django.db import migrations

NAME = "installations: maintain repositories"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(
        name=NAME,
        defaults={
            "func": "installations.tasks.maintain_repositories",
            "schedule_type": "D",
            "repeats": -1,
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("installations", "0007_apply_claim"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
