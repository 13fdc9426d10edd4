"""Workspaces and their members; packages and their immutable published versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from akua.ids import new_id


def new_workspace_id() -> str:
    return new_id("ws")


def new_package_id() -> str:
    return new_id("pkg")


def new_package_version_id() -> str:
    return new_id("pv")


class Workspace(models.Model):
    """A tenant: a vendor's (owns packages, clusters) or a customer's (owns installations)."""

    class Kind(models.TextChoices):
        VENDOR = "vendor", "Vendor"
        CUSTOMER = "customer", "Customer"

    id = models.CharField(primary_key=True, max_length=32, default=new_workspace_id, editable=False)
    slug = models.SlugField(unique=True, help_text="Used in URLs and git clone URLs.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CUSTOMER)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="workspaces"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ADMIN = "admin", "Admin"
        MEMBER = "member", "Member"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"


class Package(models.Model):
    """A vendor's application; what customers install is one of its versions."""

    id = models.CharField(primary_key=True, max_length=32, default=new_package_id, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.PROTECT, related_name="packages")
    name = models.CharField(max_length=100, help_text="The [package] name from akua.toml.")
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="unique_package_name")
        ]

    def __str__(self) -> str:
        return self.name


class PackageVersion(models.Model):
    """One published version of a package: its whole tree and its input schema, never changed.

    The tree (akua.toml, package.k, upstream/ with vendored dependencies, …) is kept as a
    deterministic tar.gz in the database so every worker sees the same bytes.
    """

    id = models.CharField(
        primary_key=True, max_length=32, default=new_package_version_id, editable=False
    )
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=64, help_text="Semantic version from akua.toml.")
    archive = models.BinaryField(help_text="Deterministic tar.gz of the package tree.")
    digest = models.CharField(max_length=80, help_text="sha256 of the archive.")
    input_schema = models.JSONField(help_text="Exported JSON Schema of the Input, cached at publish.")
    readme = models.TextField(blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["package__name", "-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["package", "version"], name="unique_package_version")
        ]

    def __str__(self) -> str:
        return f"{self.package.name} {self.version}"

    def save(self, *args, **kwargs):
        # Immutable once published: a new version is a new row, never an edit.
        if not self._state.adding:
            raise ValueError("A published package version cannot be changed; publish a new version.")
        super().save(*args, **kwargs)
