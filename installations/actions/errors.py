"""The refusals every action shares: a deleted installation, and a head that moved."""

from __future__ import annotations

from installations.models import Installation
from installations.repository import ConflictError, Repository


class InstallationError(Exception):
    """An action cannot be done; the message tells a person why and what to do."""


def check_not_deleted(installation: Installation) -> None:
    if installation.state == Installation.State.DELETED:
        raise InstallationError("This installation is deleted; it cannot be changed.")


def edit_conflict(repo: Repository, base_sha: str | None, head: str | None) -> ConflictError:
    """The ConflictError for an edit built on `base_sha` while the branch is at `head`:
    it names the commit that came first and says nothing typed is lost."""
    who = ""
    if head:
        commit = repo.commit(head)
        who = f' (now at {commit.short_sha}: "{commit.subject}" by {commit.author.name})'
    return ConflictError(
        f"Someone else changed this installation while you were editing it{who}. "
        "Nothing was saved and nothing is lost: your values are still in the form. "
        "Review the current inputs, then save again.",
        expected=base_sha,
        actual=head,
    )
