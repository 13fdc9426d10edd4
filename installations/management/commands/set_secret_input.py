"""`manage.py set_secret_input INSTALLATION_ID PATH [--from-file F | --stdin] [--user USERNAME]`.

Sets a sensitive input (DESIGN §9): stores the value encrypted, commits its marker into
inputs.yaml ("Set secret <path>") when it is not there yet, and requests a render. The value
never goes on the command line: it is read from a file, from stdin, or typed at a prompt
that does not echo. One trailing newline (as `echo` or an editor leaves) is dropped. The
value is never printed; the output names the path, the marker and the render.
"""

from __future__ import annotations

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from akua.commands import user_named
from installations.actions import InstallationError, set_sensitive_input
from installations.models import Installation
from installations.repository import ConflictError


class Command(BaseCommand):
    help = "Set a sensitive input of an installation (read from a file, stdin or a prompt)."

    def add_arguments(self, parser):
        parser.add_argument("installation_id")
        parser.add_argument("path", help="Dotted input path, e.g. db.password.")
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--from-file", metavar="F", help="Read the value from this file.")
        source.add_argument("--stdin", action="store_true", help="Read the value from stdin.")
        parser.add_argument("--user", help="User name recorded as who set it (commit author).")

    def handle(self, *args, **opts):
        installation = Installation.objects.filter(pk=opts["installation_id"]).first()
        if installation is None:
            raise CommandError(f"No installation {opts['installation_id']!r}.")
        user = user_named(opts["user"])
        value = self._read_value(opts)
        try:
            marker = set_sensitive_input(installation, opts["path"], value, user=user)
        except (InstallationError, ConflictError) as exc:
            raise CommandError(str(exc)) from None
        render = installation.renders.order_by("-generation").first()
        self.stdout.write(
            f"Set {opts['path']} of {installation.pk} ({marker}); "
            f"render {render.pk if render else ''} requested."
        )

    def _read_value(self, opts) -> str:
        if opts["from_file"]:
            try:
                with open(opts["from_file"], encoding="utf-8") as f:
                    value = f.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(
                    f"Cannot read {opts['from_file']}: {exc.__class__.__name__}"
                ) from None
        elif opts["stdin"] or not sys.stdin.isatty():
            value = sys.stdin.read()
        else:
            value = getpass.getpass(f"Value of {opts['path']} (not shown): ")
        if value.endswith("\r\n"):
            value = value[:-2]
        elif value.endswith("\n"):
            value = value[:-1]
        if value == "":
            raise CommandError("The value is empty; nothing was changed.")
        return value
