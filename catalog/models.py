"""Workspaces and their members; packages and their immutable published versions."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import models

from akua.ids import new_id
from akua.models import NamedInWorkspace, optional_link, person, prefixed_id

# The defaults of the ids (`ws_…`, `pkg_…`, `pv_…`), by these names in the migrations.
new_workspace_id = partial(new_id, "ws")
new_package_id = partial(new_id, "pkg")
new_package_version_id = partial(new_id, "pv")


class Workspace(models.Model):
    """A tenant: a vendor's (owns packages, clusters) or a customer's (owns installations)."""

    class Kind(models.TextChoices):
        VENDOR = "vendor", "Vendor"
        CUSTOMER = "customer", "Customer"

    id = prefixed_id(new_workspace_id, max_length=32)
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


new_tie_id = partial(new_id, "tie")


class VendorTie(models.Model):
    """A customer workspace's consent to a vendor (catalog.ties has the rule, catalog.invitations
    the changes): while it is accepted, the vendor may install its packages into the customer's
    workspace and its people see, open and clone what is installed there.

    The vendor invites, the customer accepts or declines (and may decline later, which ends
    the tie); a purchase will create the same tie, accepted (`invitations.tie_for_purchase`).
    """

    class State(models.TextChoices):
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    class Origin(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        PURCHASE = "purchase", "Purchase"
        EXISTING = "existing", "Installed before ties existed"

    id = prefixed_id(new_tie_id, max_length=32)
    vendor = models.ForeignKey(
        Workspace,
        on_delete=models.CASCADE,
        related_name="customer_ties",
        limit_choices_to={"kind": Workspace.Kind.VENDOR},
    )
    customer = models.ForeignKey(
        Workspace,
        on_delete=models.CASCADE,
        related_name="vendor_ties",
        limit_choices_to={"kind": Workspace.Kind.CUSTOMER},
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.INVITED)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.INVITATION)
    invited_by = person(related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    decided_by = person(related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "customer"], name="unique_vendor_tie"),
            models.CheckConstraint(
                condition=~models.Q(vendor=models.F("customer")), name="vendor_tie_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} -> {self.customer} ({self.state})"


class Package(NamedInWorkspace):
    """A vendor's application; what customers install is one of its versions."""

    id = prefixed_id(new_package_id, max_length=32)
    workspace = models.ForeignKey(Workspace, on_delete=models.PROTECT, related_name="packages")
    name = models.CharField(max_length=100, help_text="The [package] name from akua.toml.")
    description = models.TextField(blank=True)
    source = optional_link(
        "Source",
        related_name="packages",
        help_text="The source this package is generated from, if any.",
    )
    created_at = models.DateTimeField(auto_now_add=True)


class PackageVersion(models.Model):
    """One published version of a package: its whole tree and its input schema, never changed.

    The tree (akua.toml, package.k, upstream/ with vendored dependencies, …) is kept as a
    deterministic tar.gz in the database so every worker sees the same bytes.
    """

    id = prefixed_id(new_package_version_id, max_length=32)
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=64, help_text="Semantic version from akua.toml.")
    archive = models.BinaryField(help_text="Deterministic tar.gz of the package tree.")
    digest = models.CharField(max_length=80, help_text="sha256 of the archive.")
    input_schema = models.JSONField(
        help_text="Exported JSON Schema of the Input, cached at publish."
    )
    readme = models.TextField(blank=True)
    source_ref = models.CharField(
        max_length=200,
        blank=True,
        help_text="The upstream version, tag or commit it was generated from (generated versions).",
    )
    published_by = person()
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
            raise ValueError(
                "A published package version cannot be changed; publish a new version."
            )
        super().save(*args, **kwargs)


new_source_id = partial(new_id, "src")


class Source(NamedInWorkspace):
    """Where a vendor's application comes from: a Helm chart, a git repository or an image.

    Packages are generated from a source (catalog.actions.generate_package_version); the
    upstream versions (chart versions, git tags and branch head, image tags) are refreshed
    by the `check_sources` schedule and cached here. Nothing changes for installations
    until a vendor publishes a generated version and rolls it out.
    """

    class Kind(models.TextChoices):
        HELM_REPO = "helm_repo", "Helm chart from an HTTP repository"
        OCI = "oci", "Helm chart from an OCI registry"
        CHART_UPLOAD = "chart_upload", "Uploaded Helm chart (.tgz)"
        GIT = "git", "Git repository (chart or manifests)"
        IMAGE = "image", "Container image"

    id = prefixed_id(new_source_id, max_length=32)
    workspace = models.ForeignKey(Workspace, on_delete=models.PROTECT, related_name="sources")
    name = models.CharField(
        max_length=100, help_text="The name of the packages generated from this source."
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    url = models.CharField(
        max_length=500,
        blank=True,
        help_text="Helm repository URL (https://…), OCI reference (oci://host/path/chart) "
        "or git URL (https://…).",
    )
    chart = models.CharField(
        max_length=200, blank=True, help_text="Chart name in the Helm repository."
    )
    git_ref = models.CharField(
        max_length=200,
        blank=True,
        help_text="Git branch, tag or commit to track; empty = the default branch.",
    )
    path = models.CharField(
        max_length=300,
        blank=True,
        help_text="Directory in the git repository (chart or manifests).",
    )
    image = models.CharField(
        max_length=300,
        blank=True,
        help_text="Image repository, like registry.example.com/team/app.",
    )
    upload = models.BinaryField(blank=True, null=True, help_text="The uploaded chart .tgz.")
    upstream_versions = models.JSONField(
        default=list,
        blank=True,
        help_text="Upstream versions, newest first: chart versions, git tags, or image tags.",
    )
    upstream_commit = models.CharField(
        max_length=64, blank=True, help_text="The commit the tracked git branch points at."
    )
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    exposed_values = models.JSONField(
        default=list,
        blank=True,
        help_text='Value paths exposed as inputs, like api.replicaCount or "redis-ha".enabled.',
    )
    essential_values = models.JSONField(
        default=list,
        blank=True,
        help_text="Top-level values the wizard shows first; the others go under Advanced.",
    )
    ui = models.JSONField(
        default=dict,
        blank=True,
        help_text='Per value path (image.tag, "redis-ha".enabled): {"label": …, "group": …, '
        '"order": …, "widget": …, "sensitive": true}.',
    )
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def is_chart(self) -> bool:
        return self.kind in (self.Kind.HELM_REPO, self.Kind.OCI, self.Kind.CHART_UPLOAD)

    def generated_versions(self) -> set[str]:
        """Upstream versions some published version of this source's package was generated from."""
        return {
            ref
            for ref in PackageVersion.objects.filter(package__source=self)
            .exclude(source_ref="")
            .values_list("source_ref", flat=True)
        }
