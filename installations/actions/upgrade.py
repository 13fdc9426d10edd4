"""Moving an installation to another version of its package, by hand or automatically.

`upgrade_report` says what the inputs lack or carry too much for a version; the render task
uses it too, to explain a failed render of an update.
"""

from __future__ import annotations

import logging

from catalog.archive import read_files
from catalog.models import PackageVersion
from catalog.versions import is_newer, is_prerelease, newest_release
from installations.actions.errors import (
    InstallationError,
    check_not_deleted,
)
from installations.actions.head import commit_edit, current_inputs, head_version, repository
from installations.actions.request import request_render
from installations.input_schema import REQUIRED, input_errors
from installations.inputs import merge_inputs, update_inputs_file
from installations.layout import INPUTS_FILE, INSTALLATION_PATHS, in_manifests
from installations.models import Installation, InstallationEvent, Render
from installations.overrides import lock_errors
from installations.repository import ConflictError

logger = logging.getLogger(__name__)


def _is_vendors(path: str) -> bool:
    """A path an update replaces: the package's, neither the installation's nor Akua's."""
    return path not in INSTALLATION_PATHS and not in_manifests(path)


def upgrade_installation(
    installation: Installation,
    package_version: PackageVersion,
    *,
    user,
    values: dict | None = None,
) -> Render:
    """Move to another version of the same package: one commit replacing the vendor's files.

    akua.toml, package.k, upstream/ (everything but inputs.yaml and manifests/) become the
    new version's in one commit ("Update package <name> <old> -> <new>"); inputs.yaml is
    carried over, with `values` (answers to inputs new in that version; None removes a
    value) merged in — nested mappings key by key, so `{"db": {"host": "x"}}` answers
    `db.host` and keeps the other `db` values. Then a render is queued.

    - A required input of the new version that has no default and no value stops the
      update: InstallationError naming it, nothing committed. So does a value in `values`
      that changes an input the vendor locked (`installations.overrides`).
    - Values that are no longer inputs of the new version (renamed or removed) are not
      dropped: they stay in inputs.yaml, are listed in the commit message and the render
      fails naming them, so the previous manifests stay what runs until someone moves or
      deletes them (an inputs edit) or moves to another version.
    - `installation.package_version` changes only when a render of the new tree succeeds
      (the render task takes the version from the head's akua.toml, see `head_version`).
    """
    check_not_deleted(installation)
    current = installation.package_version
    if package_version.package_id != current.package_id:
        raise InstallationError(
            f"{package_version} is not a version of {current.package.name}; install it separately."
        )
    inputs, head = current_inputs(installation)
    merged = merge_inputs(inputs, values or {})  # nested: key by key; None removes a value
    locked = lock_errors(current.package_id, installation, inputs, merged)
    if locked:
        raise InstallationError(" ".join(sum(locked.values(), [])) + " Nothing was changed.")
    report = upgrade_report(package_version, merged)
    if report.blocking:
        raise InstallationError(
            f"{package_version.package.name} {package_version.version} needs "
            + "; ".join(report.blocking)
            + ". Nothing was changed: give these values with the update."
        )
    repo = repository(installation)
    new_files = read_files(bytes(package_version.archive))
    changes: dict[str, bytes | None] = {
        e.path: None for e in repo.tree(head) if _is_vendors(e.path)
    }
    for path, data in new_files.items():
        if _is_vendors(path):
            changes[path] = data
    if values:
        original = repo.read_file(INPUTS_FILE, head)
        changes[INPUTS_FILE] = update_inputs_file(original, merged)
    old_version = head_version(installation, head)
    body = f"Package version {package_version.id}, archive {package_version.digest}.\n"
    if report.removed:
        body += (
            "\nNo longer inputs of this version (kept in inputs.yaml until resolved): "
            + ", ".join(report.removed)
            + "\n"
        )
    subject = (
        f"Update package {current.package.name} {old_version.version} -> {package_version.version}"
    )
    commit_edit(repo, head, changes, f"{subject}\n\n{body}", user=user)
    return request_render(installation, trigger=Render.Trigger.VERSION, user=user)


def update_to_newest(installation: Installation, *, user) -> tuple[PackageVersion, Render | None]:
    """Update to the newest release of the installation's package (pre-releases left out).

    Returns `(newest, render)`; `render` is None when the repository already holds the newest
    (nothing to do). Raises InstallationError / ConflictError like `upgrade_installation`.
    """
    check_not_deleted(installation)
    newest = newest_release(installation.package_version.package_id)
    if newest is None:
        raise InstallationError(
            f"{installation.package_version.package.name} has no released version to update to."
        )
    at = head_version(installation)
    if newest.pk == at.pk and newest.pk == installation.package_version_id:
        return newest, None
    return newest, upgrade_installation(installation, newest, user=user)


def auto_update_installations(package_version_id: str) -> dict[str, str]:
    """Body of the auto-update task, sent when a version is published (installations.apps).

    Every installation of the package with `auto_update` on, not deleted, whose repository
    holds an older version, is updated to it (`upgrade_installation`, author Akua). Never to
    a pre-release, never backwards (a 1.4.2 fix published after 2.0.0 moves nobody on 2.x).
    An update that cannot be made (a new required input without a default, a concurrent
    edit) changes nothing and is written on the installation's timeline with the reason, so
    the people who look at it see why it stayed. Returns `{installation id: outcome}`.
    """
    version = PackageVersion.objects.select_related("package").filter(pk=package_version_id).first()
    if version is None or is_prerelease(version.version):
        return {}
    outcomes: dict[str, str] = {}
    candidates = (
        Installation.objects.filter(
            package_version__package_id=version.package_id, auto_update=True
        )
        .exclude(state=Installation.State.DELETED)
        .select_related("package_version__package", "customer_workspace")
    )
    for installation in candidates:
        at = head_version(installation)
        if not is_newer(version.version, at.version):
            outcomes[installation.pk] = f"already at {at.version}"
            continue
        try:
            render = upgrade_installation(installation, version, user=None)
        except (InstallationError, ConflictError) as exc:
            InstallationEvent.objects.create(
                installation=installation,
                from_state=installation.state,
                to_state=installation.state,
                reason=f"Automatic update to {version.package.name} {version.version} "
                f"not made: {exc}",
            )
            outcomes[installation.pk] = f"not updated: {exc}"
            logger.info("auto-update of %s to %s refused: %s", installation.pk, version, exc)
            continue
        outcomes[installation.pk] = f"updating to {version.version} ({render.pk})"
    return outcomes


class UpgradeReport:
    """What the inputs of an installation lack or carry too much for another version."""

    def __init__(self, removed: list[str], missing: list[str], invalid: list[str]):
        self.removed = removed  # values that are no longer inputs (renamed or removed)
        self.missing = missing  # required inputs with no default and no value
        self.invalid = invalid  # "field: message" for values the new version refuses

    @property
    def blocking(self) -> list[str]:
        out = [f"a value for {m} (new and required, no default)" for m in self.missing]
        out += [f"a valid value for {i}" for i in self.invalid]
        return out


def upgrade_report(package_version: PackageVersion, inputs: dict) -> UpgradeReport:
    removed, missing, invalid = [], [], []
    for field, messages in input_errors(package_version.input_schema, inputs).items():
        for message in messages:
            if message.endswith("is not an input of this package."):
                removed.append(field)
            elif message == REQUIRED:
                missing.append(field)
            else:
                invalid.append(f"{field}: {message}")
    return UpgradeReport(removed, missing, invalid)
