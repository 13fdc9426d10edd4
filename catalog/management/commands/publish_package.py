"""`manage.py publish_package DIR|FILE.tgz --workspace SLUG`: publish an immutable package version."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from akua.commands import user_named
from catalog.actions import PublishError, publish_package_version
from catalog.models import Workspace


class Command(BaseCommand):
    help = "Publish a package version from a directory or a .tgz into a vendor workspace."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A package directory or a .tgz of one.")
        parser.add_argument("--workspace", required=True, help="Slug of the vendor workspace.")
        parser.add_argument("--user", help="User name recorded as the publisher.")

    def handle(self, *args, source: str, workspace: str, user: str | None, **options):
        try:
            ws = Workspace.objects.get(slug=workspace)
        except Workspace.DoesNotExist:
            raise CommandError(f"no workspace with slug {workspace!r}") from None
        publisher = user_named(user)
        try:
            version = publish_package_version(ws, source, user=publisher)
        except PublishError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Published {version.package.name} {version.version} ({version.digest})"
            )
        )
