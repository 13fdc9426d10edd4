"""The django-q2 schedule of the cluster probe: every minute (django-q2's finest interval);
`clusters.tasks.probe_clusters` probes clusters last probed over 5 minutes ago or
unreachable. The installations' health monitor is installations' own schedule."""

from django.db import migrations

NAME = "clusters: probe"


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(
        name=NAME,
        defaults={
            "func": "clusters.tasks.probe_clusters",
            "schedule_type": "I",
            "minutes": 1,
            "repeats": -1,
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0002_cluster_kubeconfig_probe"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
