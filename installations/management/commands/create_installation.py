"""`manage.py create_installation`: install a package version for a customer workspace.

The customer must be a customer workspace that accepted the package's vendor (the domain's
rule, `catalog.ties`, refuses the others with its reason)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from akua.commands import user_named
from catalog.models import PackageVersion, Workspace
from installations.actions import create_installation
from installations.inputs import InputsFileError, parse_inputs


class Command(BaseCommand):
    help = "Create an installation of a package version; its first render is queued."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the package version here, not Django's own version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--package", required=True, help="Package name.")
        parser.add_argument("--version", dest="pkg_version", help="Version (default: the latest).")
        parser.add_argument("--vendor", help="Vendor workspace slug, when the name is ambiguous.")
        parser.add_argument("--customer", required=True, help="Customer workspace slug.")
        parser.add_argument("--name", required=True, help="Installation name.")
        parser.add_argument("--inputs", help="A YAML file with the inputs (default: none).")
        parser.add_argument("--user", help="User name recorded as the author of the commits.")

    def handle(self, *args, **opts):
        versions = PackageVersion.objects.select_related("package").filter(
            package__name=opts["package"]
        )
        if opts["vendor"]:
            versions = versions.filter(package__workspace__slug=opts["vendor"])
        if opts["pkg_version"]:
            versions = versions.filter(version=opts["pkg_version"])
        version = versions.order_by("-published_at").first()
        if version is None:
            raise CommandError(
                f"no published version {opts['pkg_version'] or ''} of package {opts['package']!r}".replace(
                    "  ", " "
                )
            )
        try:
            customer = Workspace.objects.get(slug=opts["customer"])
        except Workspace.DoesNotExist:
            raise CommandError(f"no workspace with slug {opts['customer']!r}") from None
        if customer.kind != Workspace.Kind.CUSTOMER:
            raise CommandError(
                f"{customer.slug} is a vendor workspace; --customer names a customer workspace "
                "(one that accepted the package's vendor)"
            )
        user = user_named(opts["user"])
        inputs = {}
        if opts["inputs"]:
            try:
                inputs = parse_inputs(Path(opts["inputs"]).read_bytes())
            except (OSError, InputsFileError) as exc:
                raise CommandError(str(exc)) from None
        try:
            installation = create_installation(
                package_version=version,
                customer_workspace=customer,
                name=opts["name"],
                inputs=inputs,
                user=user,
            )
        except ValidationError as exc:
            lines = [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
            raise CommandError("invalid installation:\n  " + "\n  ".join(lines)) from None
        installation.refresh_from_db()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {installation.name} ({installation.pk}): {installation.state}"
            )
        )
        self.stdout.write(f"Repository: {installation.repo_path}")
