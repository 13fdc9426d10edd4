"""Change requests: a push to `review/<name>` waits for someone allowed to accept it.

- `record_push` (post-receive) opens the request or moves it to the new head;
- `change_request_diff` shows what accepting would change: inputs.yaml from where the
  branch left main, and the manifests the branch renders to (`installations.rendering`,
  as the render task would) against main's manifests/;
- `accept_change_request` merges into main as a forward commit (fast-forward when main
  has not moved, else a merge commit built with `git merge-tree`), checks the result like
  a push, moves main with a compare-and-swap and requests a render;
- `reject_change_request` records who and why. Decisions are never undone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from installations.access import is_owner_or_admin
from installations.actions import InstallationError, author_for, request_render
from installations.diffs import FileDiff, diff_files, file_diff, manifests_at
from installations.git.checks import check_tree
from installations.inputs import InputsFileError, parse_inputs
from installations.layout import INPUTS_FILE
from installations.models import ChangeRequest, Installation, Render
from installations.rendering import RenderFailed, render_commit
from installations.repository import REF, ZERO_SHA, ConflictError, Repository, Signature


class ChangeRequestError(InstallationError):
    """The change request cannot be decided; the message says why."""


def can_accept(user, installation: Installation) -> bool:
    """Owners and admins of the customer workspace or of the vendor workspace."""
    return is_owner_or_admin(user, installation)


def record_push(installation: Installation, branch: str, sha: str, user) -> ChangeRequest:
    commit = Repository(installation.repo_path).commit(sha)
    cr, created = ChangeRequest.objects.get_or_create(
        installation=installation,
        branch=branch,
        defaults={
            "head_sha": sha,
            "title": commit.subject[:300],
            # a commit's author is the pusher's to write: cut to the columns (PostgreSQL
            # refuses a longer value, after the branch was already updated)
            "author_name": commit.author.name[:200],
            "author_email": commit.author.email[:200],
            "pushed_by": user,
        },
    )
    if not created:
        ChangeRequest.objects.filter(pk=cr.pk, state=ChangeRequest.State.OPEN).update(
            head_sha=sha, title=commit.subject[:300], updated_at=timezone.now()
        )
        cr.refresh_from_db()
    return cr


# -- diff ------------------------------------------------------------------------------


@dataclass
class ChangeRequestDiff:
    inputs: FileDiff | None
    manifests: list[FileDiff]
    render_error: str = ""


def change_request_diff(cr: ChangeRequest) -> ChangeRequestDiff:
    repo = Repository(cr.installation.repo_path)
    main = repo.head()
    base = _merge_base(repo, main, cr.head_sha) if main else None
    old_inputs = repo.read_file(INPUTS_FILE, base) if base else None
    new_inputs = repo.read_file(INPUTS_FILE, cr.head_sha)
    inputs = None
    if old_inputs != new_inputs:
        inputs = file_diff(INPUTS_FILE, "changed", old_inputs, new_inputs)
    try:
        branch_inputs = parse_inputs(new_inputs)
        result = render_commit(repo, cr.head_sha, branch_inputs, installation=cr.installation)
    except (RenderFailed, InputsFileError) as exc:
        return ChangeRequestDiff(inputs=inputs, manifests=[], render_error=str(exc))
    rendered = {f.name: f.content for f in result.files}
    files, _unchanged = diff_files(manifests_at(repo, main), rendered)
    return ChangeRequestDiff(inputs=inputs, manifests=files)


def _merge_base(repo: Repository, a: str, b: str) -> str | None:
    proc = repo._git("merge-base", a, b, check=False)
    return proc.stdout.decode().strip() or None


# -- decisions -------------------------------------------------------------------------


def accept_change_request(cr: ChangeRequest, *, user, note: str = "") -> Render:
    installation = cr.installation
    if not can_accept(user, installation):
        raise ChangeRequestError("Only owners and admins can accept change requests.")
    if cr.state != ChangeRequest.State.OPEN:
        raise ChangeRequestError(f"This change request is already {cr.state}.")
    repo = Repository(installation.repo_path)
    with repo.write_lock():  # the merge commit's objects and the ref move
        main = repo.head()
        if (
            main
            and repo._git("merge-base", "--is-ancestor", main, cr.head_sha, check=False).returncode
            == 0
        ):
            merged = cr.head_sha
        else:
            merged = _merge_commit(repo, main, cr, user)
        problems = check_tree(installation, repo, merged)
        if problems:
            raise ChangeRequestError(
                "The merged change does not pass the checks: " + "; ".join(problems)
            )
        proc = repo._git(
            "update-ref",
            "-m",
            f"akua: accept {cr.branch}",
            REF,
            merged,
            main or ZERO_SHA,
            check=False,
        )
    if proc.returncode != 0:
        raise ConflictError(
            "main moved while accepting; nothing was changed. Try again.",
            expected=main,
            actual=repo.head(),
        )
    now = timezone.now()
    ChangeRequest.objects.filter(pk=cr.pk, state=ChangeRequest.State.OPEN).update(
        state=ChangeRequest.State.ACCEPTED,
        decided_by=user,
        decided_at=now,
        reason=note,
        merge_sha=merged,
        updated_at=now,
    )
    new_render = request_render(
        installation,
        trigger=Render.Trigger.PUSH,
        user=user,
        author=Signature(cr.author_name, cr.author_email) if cr.author_name else None,
    )
    ChangeRequest.objects.filter(pk=cr.pk).update(render=new_render)
    cr.refresh_from_db()
    return new_render


def _merge_commit(repo: Repository, main: str | None, cr: ChangeRequest, user) -> str:
    proc = repo._git("merge-tree", "--write-tree", "--name-only", main, cr.head_sha, check=False)
    out = proc.stdout.decode("utf-8", "replace").splitlines()
    if proc.returncode != 0:
        files = [line for line in out[1:] if line and not line.startswith("Auto-merging")]
        files = [f for f in files if "CONFLICT" not in f][:5]
        raise ChangeRequestError(
            f"{cr.branch} conflicts with main ({', '.join(files) or 'see git'}); "
            "merge main into the branch, push it again, then accept."
        )
    tree = out[0].strip()
    author = author_for(user)
    env = {
        "GIT_AUTHOR_NAME": author.name,
        "GIT_AUTHOR_EMAIL": author.email,
        "GIT_COMMITTER_NAME": "Akua",
        "GIT_COMMITTER_EMAIL": "akua@localhost",
    }
    message = f"Merge change request {cr.branch}\n\n{cr.title}\n"
    return repo._out(
        "commit-tree", tree, "-p", main, "-p", cr.head_sha, input=message.encode(), env=env
    )


def reject_change_request(cr: ChangeRequest, *, user, reason: str) -> None:
    if not can_accept(user, cr.installation):
        raise ChangeRequestError("Only owners and admins can reject change requests.")
    reason = (reason or "").strip()
    if not reason:
        raise ChangeRequestError("Say why the change request is rejected.")
    now = timezone.now()
    if not ChangeRequest.objects.filter(pk=cr.pk, state=ChangeRequest.State.OPEN).update(
        state=ChangeRequest.State.REJECTED,
        decided_by=user,
        decided_at=now,
        reason=reason,
        updated_at=now,
    ):
        raise ChangeRequestError("This change request is already decided.")
    cr.refresh_from_db()
