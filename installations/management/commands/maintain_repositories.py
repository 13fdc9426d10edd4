"""`manage.py maintain_repositories [--min-loose N]`.

Packs the loose objects of every installation repository that has more than N of them
(default: the AKUA_REPO_MAINTAIN_LOOSE_OBJECTS setting), what the daily task does
(installations.maintenance). Prints one line; exit status 1 when a repository failed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from installations.maintenance import maintain_repositories


class Command(BaseCommand):
    help = "Pack the loose objects of the installations' git repositories."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-loose",
            type=int,
            default=None,
            help="Pack repositories with more loose objects than this (0: any).",
        )

    def handle(self, *args, **opts):
        report = maintain_repositories(opts["min_loose"])
        if report.failed:
            raise CommandError(str(report))
        self.stdout.write(str(report))
