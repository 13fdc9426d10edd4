"""`manage.py create_token USERNAME --workspace SLUG [--read-only] [--name N] [--expires-days D]`.

Prints a new API token (and nothing else on stdout) for scripts: `TOKEN=$(manage.py create_token …)`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from catalog.models import Workspace
from installations.git.tokens import TokenError, create_token


class Command(BaseCommand):
    help = "Create an API token (git over HTTP password) and print it; it is shown only once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--workspace", required=True, help="Workspace slug the token reaches.")
        parser.add_argument("--read-only", action="store_true", help="Clone and fetch only.")
        parser.add_argument("--name", default="cli", help="What the token is for.")
        parser.add_argument("--expires-days", type=int, help="Expire after this many days.")

    def handle(self, *args, **opts):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: opts["username"]})
        except User.DoesNotExist:
            raise CommandError(f"No user {opts['username']!r}.") from None
        workspace = Workspace.objects.filter(slug=opts["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace {opts['workspace']!r}.")
        try:
            row, token = create_token(
                user,
                workspace,
                name=opts["name"],
                read_only=opts["read_only"],
                expires_days=opts["expires_days"],
            )
        except TokenError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"Token {row.name!r} ({row.get_scope_display()}) for {workspace.slug}:")
        self.stdout.write(token)
