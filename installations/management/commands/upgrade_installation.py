"""`manage.py upgrade_installation INSTALLATION_ID --version V [--set PATH=VALUE …] [--user USERNAME]`.

Updates an installation to another published version of its package
(`installations.actions.upgrade_installation`: one commit, inputs carried over) and
requests its render. `--set db.host=db.example` (repeatable) answers an input new in that
version, nested ones by their path (`config."grafana.ini".port`, hyphens may stay bare:
`redis-ha.enabled`, as with `helm --set`); the value is read as a YAML scalar (`3` an
integer, `true` a boolean, `"3"` a string). Prints one line: what was done, or why not (exit status 1). When the
render runs inline (django-q2 sync mode) and fails, that is reported as an error too: the
repository holds the new version, the previous one keeps running.
"""

from __future__ import annotations

import yaml
from django.core.management.base import BaseCommand, CommandError

from akua.commands import user_named
from catalog.models import PackageVersion
from installations import input_schema
from installations.actions import InstallationError, head_version, upgrade_installation
from installations.models import Installation, Render
from installations.repository import ConflictError


class Command(BaseCommand):
    help = "Update an installation to another published version of its package."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the package version here, not Django's own version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("installation_id")
        parser.add_argument(
            "--version",
            dest="pkg_version",
            required=True,
            help="The version to move to, e.g. 2.0.0.",
        )
        parser.add_argument(
            "--set",
            dest="values",
            action="append",
            default=[],
            metavar="PATH=VALUE",
            help="A value for an input of the new version, e.g. db.host=db.example "
            "(repeatable; the value is read as a YAML scalar).",
        )
        parser.add_argument("--user", help="User name recorded as who updated it (commit author).")

    def handle(self, *args, **opts):
        inst = (
            Installation.objects.select_related("package_version__package", "customer_workspace")
            .filter(pk=opts["installation_id"])
            .first()
        )
        if inst is None:
            raise CommandError(f"No installation {opts['installation_id']!r}.")
        package = inst.package_version.package
        user = user_named(opts["user"])
        target = PackageVersion.objects.filter(package=package, version=opts["pkg_version"]).first()
        if target is None:
            raise CommandError(f"{package.name} has no published version {opts['pkg_version']!r}.")
        old = inst.package_version
        if target.pk == old.pk and head_version(inst).pk == old.pk:
            raise CommandError(
                f"{inst.name} ({inst.pk}) already runs {package.name} {old.version}."
            )
        values = _values(opts["values"])
        try:
            render = upgrade_installation(inst, target, user=user, values=values or None)
        except (InstallationError, ConflictError) as exc:
            raise CommandError(str(exc)) from None
        render.refresh_from_db()
        if render.state == Render.State.FAILED:
            raise CommandError(
                f"Updated the repository of {inst.name} ({inst.pk}) to {package.name} "
                f"{target.version}, but its render failed: {(render.error or render.message).splitlines()[0]}"
            )
        done = render.state in (Render.State.DEPLOYED, Render.State.SKIPPED)
        self.stdout.write(
            f"Updated {inst.name} ({inst.pk}) from {package.name} {old.version} to "
            f"{target.version}; render {render.pk} " + (render.state if done else "requested") + "."
        )


def _values(pairs: list[str]) -> dict:
    """`["db.host=x", "replicas=3"]` -> `{"db": {"host": "x"}, "replicas": 3}`."""
    values: dict = {}
    for pair in pairs:
        path, sep, text = _split(pair)
        if not sep or not path:
            raise CommandError(f"--set {pair!r}: give PATH=VALUE, e.g. --set db.host=db.example.")
        try:
            path = input_schema.canonical(path)
        except input_schema.PathError as exc:
            raise CommandError(
                f"--set {pair!r}: give PATH=VALUE, e.g. --set db.host=db.example ({exc})."
            ) from None
        try:
            value = yaml.safe_load(text) if text.strip() else ""
        except yaml.YAMLError:
            value = text
        if isinstance(value, dict | list):
            raise CommandError(f"--set {path}: give one value (a string, number or boolean).")
        try:
            input_schema.set_value(values, path, value)
        except input_schema.PathError as exc:
            raise CommandError(f"--set {exc}") from None
    return values


def _split(pair: str) -> tuple[str, str, str]:
    """`PATH=VALUE` at the first "=" outside a quoted key (`"a=b".c=1`)."""
    quoted = False
    for i, char in enumerate(pair):
        if char == '"' and (i == 0 or pair[i - 1] != "\\"):
            quoted = not quoted
        elif char == "=" and not quoted:
            return pair[:i].strip(), "=", pair[i + 1 :]
    return pair.strip(), "", ""
