"""An installation's repository as the actions see it: who commits, and what its head holds
(inputs and package version)."""

from __future__ import annotations

import tomllib

from catalog.models import PackageVersion
from installations.actions.errors import edit_on
from installations.inputs import parse_inputs
from installations.layout import INPUTS_FILE, PACKAGE_FILE
from installations.models import Installation
from installations.repository import AKUA, Repository, Signature


def repository(installation: Installation) -> Repository:
    return Repository(installation.repo_path)


def author_for(user) -> Signature:
    """The git identity of a person: full name (or user name) and e-mail."""
    if user is None:
        return AKUA
    name = (user.get_full_name() or "").strip() or user.get_username()
    email = (user.email or "").strip() or f"{user.get_username()}@users.akua.invalid"
    return Signature(name, email)


def commit_edit(repo: Repository, base_sha: str | None, files: dict, message: str, *, user) -> str:
    """A person's commit of `files` on top of `base_sha`, authored as them; when the branch
    moved meanwhile, the ConflictError names who came first (`edit_on`)."""
    with edit_on(repo, base_sha):
        return repo.commit_files(files, message, author=author_for(user), parent=base_sha)


def current_inputs(installation: Installation) -> tuple[dict, str | None]:
    """The inputs at the head of the repository and that head (the `base_sha` of an edit)."""
    repo = repository(installation)
    head = repo.head()
    if head is None:
        return {}, None
    return parse_inputs(repo.read_file(INPUTS_FILE, head)), head


def head_version(
    installation: Installation, head: str | None = None, *, repo: Repository | None = None
) -> PackageVersion:
    """The package version whose files are at the head of the repository.

    Read from the head's akua.toml ([package] version); it differs from
    `installation.package_version` (the version of the last successful render) between an
    update's commit and its first successful render. Unknown versions (a hand-edited
    akua.toml) count as the installation's version.
    """
    current = installation.package_version
    repo = repo or repository(installation)
    head = head or repo.head()
    if head is None:
        return current
    try:
        data = tomllib.loads((repo.read_file(PACKAGE_FILE, head) or b"").decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return current
    version = str((data.get("package") or {}).get("version") or "")
    if not version or version == current.version:
        return current
    return (
        PackageVersion.objects.filter(package_id=current.package_id, version=version).first()
        or current
    )
