"""Restoring a render: its tree committed again on top of the head, then rendered."""

from __future__ import annotations

from installations.actions.errors import InstallationError, check_not_deleted, edit_conflict
from installations.actions.head import author_for, repository
from installations.actions.request import request_render
from installations.models import Installation, Render
from installations.repository import ConflictError


def restore_render(render: Render, *, user) -> Render:
    """A new forward commit whose tree is `render`'s tree, then a re-render.

    History is never rewritten: the restore is a commit on top of the head, message
    "Restore render <id> (<short sha>)". Only a render that produced manifests (deployed
    or skipped) can be restored.
    """
    installation = render.installation
    check_not_deleted(installation)
    sha = render.manifests_sha
    if not sha:
        raise InstallationError(
            f"Render {render.id} is {render.state}; only a render that produced manifests can be restored."
        )
    repo = repository(installation)
    head = repo.head()
    tree = repo.tree_sha(sha)
    if head is None or tree != repo.tree_sha(head):
        try:
            repo.commit_tree(
                tree,
                f"Restore render {render.id} ({sha[:7]})\n\n"
                f"The tree of commit {sha}, rendered as {render.render_hash or 'unknown'}.",
                author=author_for(user),
                parent=head,
            )
        except ConflictError as exc:
            raise edit_conflict(repo, head, exc.actual) from None
    if render.package_version_id and render.package_version_id != installation.package_version_id:
        Installation.objects.filter(pk=installation.pk).update(
            package_version_id=render.package_version_id
        )
        installation.package_version_id = render.package_version_id
    return request_render(
        installation, trigger=Render.Trigger.RESTORE, user=user, restored_from=render
    )
