"""`manage.py demo`: a vendor, two customers that accepted it, two packages and three
rendered installations.

Idempotent: running it again creates nothing new and changes nothing that exists (it
does reset the demo users' passwords to the ones printed). Everything lives under
AKUA_DATA_DIR like any other data.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from akua.packaging.manifest import load_manifest
from catalog.actions import publish_package_version
from catalog.models import Membership, PackageVersion, VendorTie, Workspace
from installations import actions
from installations.models import Installation, Render

DEMO_PACKAGES = Path(settings.BASE_DIR) / "demo" / "packages"

# (username, password, full name, email, workspace slug, superuser)
LOGINS = [
    ("vendor", "demo-vendor-pass", "Vera Vendor", "vera@acme.example", "acme", True),
    ("alice", "demo-alice-pass", "Alice Globex", "alice@globex.example", "globex", False),
    ("bob", "demo-bob-pass", "Bob Initech", "bob@initech.example", "initech", False),
]
WORKSPACES = [
    ("acme", "Acme Software", Workspace.Kind.VENDOR),
    ("globex", "Globex Corporation", Workspace.Kind.CUSTOMER),
    ("initech", "Initech", Workspace.Kind.CUSTOMER),
]
# (customer slug, installation name, package, inputs, a later edit of the inputs or None)
INSTALLATIONS = [
    ("globex", "shop", "webapp", {"replicas": 2, "host": "shop.globex.example"}, {"replicas": 3}),
    ("globex", "intranet", "nginx", {"welcome": "Globex intranet"}, None),
    ("initech", "tps-reports", "webapp", {"tag": "1.26", "replicas": 1}, None),
]


def login_lines() -> list[str]:
    """The demo logins that exist in this database, one line each."""
    User = get_user_model()
    existing = set(
        User.objects.filter(username__in=[u for u, *_ in LOGINS]).values_list("username", flat=True)
    )
    return [
        f"  {username:<8} / {password:<18} ({slug}{', Django admin' if su else ''})"
        for username, password, _name, _email, slug, su in LOGINS
        if username in existing
    ]


class Command(BaseCommand):
    help = "Load the demo: workspaces, users, the demo packages and three rendered installations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--emulator",
            action="store_true",
            help="Run the installations on the Kubernetes API emulator (not a real cluster); "
            "`manage.py serve` starts it (clusters/demo.py).",
        )

    def handle(self, *args, emulator=False, **options):
        users = self._people()
        self._ties(users)
        versions = self._packages(users["vendor"])
        for slug, name, package, inputs, edit in INSTALLATIONS:
            self._installation(slug, name, versions[package], inputs, edit, users)
        if emulator:
            self._emulator()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Logins:"))
        for line in login_lines():
            self.stdout.write(line)

    def _people(self) -> dict:
        User = get_user_model()
        workspaces = {}
        for slug, name, kind in WORKSPACES:
            workspaces[slug], _ = Workspace.objects.get_or_create(
                slug=slug, defaults={"name": name, "kind": kind}
            )
        users = {}
        for username, password, full_name, email, slug, superuser in LOGINS:
            first, _, last = full_name.partition(" ")
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": email},
            )
            if created or not user.check_password(password):
                user.set_password(password)
            if superuser and not (user.is_staff and user.is_superuser):
                user.is_staff = user.is_superuser = True
            user.save()
            Membership.objects.get_or_create(
                workspace=workspaces[slug], user=user, defaults={"role": Membership.Role.OWNER}
            )
            users[username] = user
            users[slug] = user
        return users

    def _ties(self, users) -> None:
        """Both customers accepted acme's invitation (catalog.ties): acme installs there."""
        acme = Workspace.objects.get(slug="acme")
        for slug, _name, kind in WORKSPACES:
            if kind != Workspace.Kind.CUSTOMER:
                continue
            VendorTie.objects.update_or_create(
                vendor=acme,
                customer=Workspace.objects.get(slug=slug),
                defaults={"state": VendorTie.State.ACCEPTED},
                create_defaults={
                    "state": VendorTie.State.ACCEPTED,
                    "invited_by": users["vendor"],
                    "decided_by": users[slug],
                    "decided_at": timezone.now(),
                },
            )

    def _packages(self, vendor_user) -> dict[str, PackageVersion]:
        acme = Workspace.objects.get(slug="acme")
        versions = {}
        for directory in sorted(DEMO_PACKAGES.iterdir()):
            if not (directory / "akua.toml").is_file():
                continue
            manifest = load_manifest(directory)
            version = PackageVersion.objects.filter(
                package__workspace=acme, package__name=manifest.name, version=manifest.version
            ).first()
            if version is None:
                version = publish_package_version(acme, directory, user=vendor_user)
                self.stdout.write(f"Published {manifest.name} {manifest.version}")
            versions[manifest.name] = version
        return versions

    def _installation(self, slug, name, version, inputs, edit, users) -> None:
        customer = Workspace.objects.get(slug=slug)
        if (
            Installation.objects.filter(customer_workspace=customer, name=name)
            .exclude(state=Installation.State.DELETED)
            .exists()
        ):
            return
        user = users[slug]
        with transaction.atomic():
            installation = actions.create_installation(
                package_version=version,
                customer_workspace=customer,
                name=name,
                inputs=inputs,
                user=user,
            )
        self._render_now(installation)
        if edit:
            current, head = actions.current_inputs(installation)
            with transaction.atomic():
                actions.update_inputs(installation, {**current, **edit}, user=user, base_sha=head)
            self._render_now(installation)
        installation.refresh_from_db()
        self.stdout.write(f"Installed {name} for {customer.name}: {installation.state}")

    def _emulator(self) -> None:
        from clusters import demo as emulator_demo

        for slug, name, *_ in INSTALLATIONS:
            installation = (
                Installation.objects.exclude(state=Installation.State.DELETED)
                .filter(customer_workspace__slug=slug, name=name)
                .first()
            )
            if installation is not None and installation.cluster_id is None:
                cluster = emulator_demo.register(installation.customer_workspace)
                # the namespace installation.yaml names (the installation's name): no commit
                Installation.objects.filter(pk=installation.pk).update(
                    cluster=cluster, namespace=installation.namespace or name
                )
        self.stdout.write("Installations run on the Kubernetes API emulator (not a real cluster).")

    def _render_now(self, installation: Installation) -> None:
        # The worker may not run yet (bin/run starts it after the demo): render inline.
        # The queued task finds the render finished and does nothing.
        for render in Render.objects.filter(installation=installation, state=Render.State.QUEUED):
            actions.run_render(render.id)
