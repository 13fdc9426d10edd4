"""The refusals every action shares: a deleted installation, and a head that moved."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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


@contextmanager
def edit_on(repo: Repository, base_sha: str | None) -> Iterator[None]:
    """Around a person's commit on top of `base_sha`: when the branch moved meanwhile, the
    ConflictError that comes out is `edit_conflict`'s, which names who came first."""
    try:
        yield
    except ConflictError as exc:
        raise edit_conflict(repo, base_sha, exc.actual) from None
