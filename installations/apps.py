"""The installations app; on ready it listens for published package versions (auto-update)."""

from django.apps import AppConfig


class InstallationsConfig(AppConfig):
    name = "installations"

    def ready(self) -> None:
        # catalog may not import installations (DESIGN §1): catalog sends a signal on
        # publish, and installations moves the installations that have auto_update on.
        from catalog.signals import package_version_published

        package_version_published.connect(
            _on_package_version_published, dispatch_uid="installations.auto_update"
        )


def _on_package_version_published(sender, package_version, **kwargs) -> None:
    from installations import enqueue
    from installations.models import Installation

    if Installation.objects.filter(
        package_version__package_id=package_version.package_id, auto_update=True
    ).exists():  # most publishes concern nobody: no task for them
        enqueue.enqueue_auto_update(package_version.pk)
