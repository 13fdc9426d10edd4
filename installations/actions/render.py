"""The render task's body: claim, supersede, render, commit, settle.

- one render at a time per installation: the task claims the installation with a
  conditional UPDATE of `render_claimed_at`; a task that cannot claim leaves its Render
  queued and the holder picks it up when it releases the claim;
- every request bumps `render_generation` (`installations.actions.request`); a queued
  Render of an older generation is `superseded` without rendering (all renders render the
  head, so only the newest counts);
- the head tree is rendered through the one pipeline (`installations.rendering`: markers
  resolved, Secrets protected, messages scrubbed); the same manifests as at the tip of
  `main` and as the last successful apply on the cluster -> `skipped`, no commit
  (`_unchanged`); an error -> `failed`, repository untouched, installation `failed` with
  the reason; otherwise manifests/ is committed ("render sha256:…", author Akua; nothing
  new when the tip holds them already) -> `deployed`, and applied.

Installation state after a successful render (docs/installations.md): with a cluster it
is `syncing` (the apply task applies it, `installations.deploy`); without one it stays
`pending` with the reason "no cluster assigned", because nothing runs anywhere and
`healthy` would be a lie.

In this module `render` is always a Render row; the package is rendered by
`installations.rendering.render_commit`.
"""

from __future__ import annotations

import logging

from django.db.models import Q
from django.utils import timezone

from akua.packaging import PackagingError
from catalog.models import PackageVersion
from installations import sensitive
from installations.actions.errors import InstallationError
from installations.actions.head import head_version, repository
from installations.actions.upgrade import upgrade_report
from installations.deploy.assign import place_changed, request_apply
from installations.input_schema import input_errors
from installations.inputs import InputsFileError, parse_inputs
from installations.landing import record_missing, target_at
from installations.layout import INPUTS_FILE, MANIFESTS_DIR
from installations.models import ApplyResult, Installation, Render
from installations.rendering import RenderFailed, render_commit
from installations.repository import AKUA, ConflictError, Repository
from installations.state import claim_timeout, set_state

logger = logging.getLogger(__name__)


def run_render(render_id: str) -> None:
    """Body of the render task: render the newest queued request of the installation.

    Safe to run twice or late: a finished, superseded or already running Render is left
    alone. After releasing the claim it looks again, so a request that arrived while it
    was rendering (and whose own task could not claim) is never left queued.
    """
    render = Render.objects.filter(pk=render_id).only("installation_id", "state").first()
    if render is None or render.state != Render.State.QUEUED:
        return
    installation_id = render.installation_id
    while _queued(installation_id).exists():
        if not _claim(installation_id):
            return
        try:
            newest = _supersede_older(installation_id)
            if newest is not None:
                _run_one(newest)
        finally:
            _release(installation_id)


def _queued(installation_id: str):
    return Render.objects.filter(installation_id=installation_id, state=Render.State.QUEUED)


def _claim(installation_id: str) -> bool:
    now = timezone.now()
    stale = now - claim_timeout()
    claimed = Installation.objects.filter(
        Q(render_claimed_at__isnull=True) | Q(render_claimed_at__lt=stale), pk=installation_id
    ).update(render_claimed_at=now)
    if claimed:
        # A render still "running" now belongs to a worker that died holding the claim.
        Render.objects.filter(installation_id=installation_id, state=Render.State.RUNNING).update(
            state=Render.State.FAILED,
            message="The worker stopped while rendering",
            error="The worker stopped while rendering; a newer render replaces this one.",
            finished_at=now,
        )
    return bool(claimed)


def _release(installation_id: str) -> None:
    busy = Render.objects.filter(
        installation_id=installation_id, state__in=[Render.State.QUEUED, Render.State.RUNNING]
    ).exists()
    Installation.objects.filter(pk=installation_id).update(render_claimed_at=None, reconciling=busy)


def _supersede_older(installation_id: str) -> Render | None:
    """Mark every queued Render but the newest superseded; return the newest (or None)."""
    newest = _queued(installation_id).order_by("-generation").first()
    if newest is None:
        return None
    _queued(installation_id).filter(generation__lt=newest.generation).update(
        state=Render.State.SUPERSEDED,
        message=f"Superseded by {newest.id}",
        finished_at=timezone.now(),
    )
    return newest


def _finish(render: Render, state: str, message: str, **fields) -> None:
    fields.update(state=state, message=message[:300], finished_at=timezone.now())
    Render.objects.filter(pk=render.pk).update(**fields)
    for key, value in fields.items():
        setattr(render, key, value)


def _run_one(render: Render) -> None:
    """Render the head for `render` (the newest request, the claim held) and commit it."""
    if not Render.objects.filter(pk=render.pk, state=Render.State.QUEUED).update(
        state=Render.State.RUNNING, started_at=timezone.now(), message="Rendering"
    ):
        return
    installation = Installation.objects.select_related(
        "package_version", "customer_workspace", "cluster"
    ).get(pk=render.installation_id)
    if installation.state == Installation.State.DELETED:
        _finish(render, Render.State.SUPERSEDED, "Installation deleted")
        return
    before = (installation.state, installation.state_reason)
    set_state(installation, Installation.State.RENDERING, f"Rendering {render.id}", render=render)
    repo = repository(installation)

    for _attempt in range(3):
        try:  # installations made before installation.yaml existed get it now (landing.py)
            head = record_missing(installation, repo, repo.head())
        except ConflictError:
            continue
        Render.objects.filter(pk=render.pk).update(source_sha=head or "")
        render.source_sha = head or ""
        version = head_version(installation, head)
        if render.package_version_id != version.pk:
            Render.objects.filter(pk=render.pk).update(package_version=version)
            render.package_version = version
        try:
            result = _render_tree(repo, head, installation, version)
        except (PackagingError, InputsFileError, InstallationError) as exc:
            _fail(installation, render, str(exc))
            return
        except Exception as exc:  # a bug, not the package: still a failed render, never a stuck one
            logger.exception("render %s crashed", render.id)
            _fail(
                installation, render, f"Internal error while rendering: {type(exc).__name__}: {exc}"
            )
            return

        files = {f"{MANIFESTS_DIR}/{f.name}": f.content for f in result.files}
        same = _unchanged(installation, repo, head, files, result.hash)
        if same is not None:
            _finish(
                render,
                Render.State.SKIPPED,
                f"Same manifests as {same}; nothing to commit",
                render_hash=result.hash,
                secret_manifests=sensitive.seal(result.secret_manifests),
            )
            _move_version(installation, version, head)
            _settle(installation, render, before, skipped=True)
            return

        try:
            sha = repo.commit_files(
                files,
                f"render {result.hash}\n\n"
                f"Render: {render.id}\nTrigger: {render.get_trigger_display()}\n"
                f"Requested-by: {render.author_name} <{render.author_email}>\n",
                author=AKUA,
                parent=head,
                clear=(MANIFESTS_DIR,),
            )
        except ConflictError:
            newer = Render.objects.filter(
                installation_id=installation.pk, generation__gt=render.generation
            ).first()
            if newer is not None:
                _finish(
                    render,
                    Render.State.SUPERSEDED,
                    f"The repository changed; superseded by {newer.id}",
                )
                set_state(installation, *before, render=render)
                return
            continue
        commit_sha = sha or head  # None: the head already holds exactly these manifests (a restore)
        count = len(result.files)
        _finish(
            render,
            Render.State.DEPLOYED,
            f"Rendered {count} manifest{'s' if count != 1 else ''} at {commit_sha[:7]}",
            render_hash=result.hash,
            commit_sha=commit_sha,
            secret_manifests=sensitive.seal(result.secret_manifests),
        )
        _move_version(installation, version, head)
        _settle(installation, render, before, skipped=False)
        return

    _fail(
        installation, render, "The repository kept changing while rendering; request a new render."
    )


def _unchanged(
    installation: Installation, repo: Repository, head: str, files: dict[str, bytes], hash_: str
) -> str | None:
    """The render this one repeats, when it changes nothing; else None.

    Nothing to do only when the manifests at the tip of `main` are these files AND what runs
    is a render of this hash: the last successful apply on the installation's cluster (without
    a cluster, the last deployed render). Comparing with the last deployed render alone
    (issue 10, finding 5) skipped a fix whose manifests equal an earlier render while a failed
    apply's manifests stayed at the tip, and the installation stayed failed for good. When
    only the tip matches, committing adds nothing and the render is deployed (applied) again.
    """
    if repo.files(head, MANIFESTS_DIR) != files:
        return None
    if installation.cluster_id is None:
        running = (
            Render.objects.filter(installation_id=installation.pk, state=Render.State.DEPLOYED)
            .order_by("-finished_at", "-generation")
            .first()
        )
    else:
        applied = (
            ApplyResult.objects.filter(
                installation_id=installation.pk,
                cluster_id=installation.cluster_id,
                namespace=installation.namespace,
                state=ApplyResult.State.APPLIED,
            )
            .select_related("render")
            .order_by("-started_at")
            .first()
        )
        running = applied.render if applied is not None else None
    if running is None or running.render_hash != hash_:
        return None
    return running.id


def _render_tree(
    repo: Repository, head: str | None, installation: Installation, version: PackageVersion
):
    if head is None:
        raise InstallationError("The repository is empty; there is nothing to render.")
    inputs = parse_inputs(repo.read_file(INPUTS_FILE, head))
    errors = input_errors(version.input_schema, inputs)
    if errors and version.pk != installation.package_version_id:
        report = upgrade_report(version, inputs)
        running = installation.package_version
        detail = ""
        if report.removed:
            detail = (
                f"inputs.yaml: {', '.join(report.removed)} "
                f"{'is' if len(report.removed) == 1 else 'are'} no longer "
                f"{'an input' if len(report.removed) == 1 else 'inputs'} of "
                f"{version.package.name} {version.version} (renamed or removed); "
                "move the value to its new input or delete it."
            )
        others = report.blocking
        if others:
            detail += (" " if detail else "inputs.yaml: ") + f"Needs {'; '.join(others)}."
        raise InstallationError(
            f"{detail} {running.package.name} {running.version} keeps running until this renders."
        )
    if errors:
        detail = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
        raise InstallationError(f"inputs.yaml: {detail}")
    try:
        return render_commit(repo, head, inputs, installation=installation)
    except RenderFailed as exc:
        raise InstallationError(str(exc)) from None


def _move_version(installation: Installation, version: PackageVersion, head: str) -> None:
    """After a successful render: the installation runs the version its head holds, in the
    namespace its installation.yaml names (a push may have changed it)."""
    if installation.package_version_id != version.pk:
        Installation.objects.filter(pk=installation.pk).update(package_version=version)
        installation.package_version = version
    namespace = target_at(installation, repository(installation), head).namespace
    if installation.namespace != namespace:
        Installation.objects.filter(pk=installation.pk).update(namespace=namespace)
        installation.namespace = namespace


def _fail(installation: Installation, render: Render, error: str) -> None:
    _finish(
        render,
        Render.State.FAILED,
        f"Render failed: {error.splitlines()[0] if error else ''}",
        error=error,
    )
    set_state(installation, Installation.State.FAILED, error, render=render)


def _settle(
    installation: Installation, render: Render, before: tuple[str, str], *, skipped: bool
) -> None:
    """The installation's state once its manifests are committed (or found unchanged)."""
    S = Installation.State
    if (
        skipped
        and installation.cluster_id
        and before[0] in (S.HEALTHY, S.DEGRADED, S.SYNCING)
        and not place_changed(installation)  # same manifests, another namespace: a move
    ):
        set_state(installation, *before, render=render)
        return
    what = render.message
    if installation.cluster_id:
        set_state(
            installation,
            S.SYNCING,
            f"{what}; waiting to be applied to {installation.cluster}",
            render=render,
        )
        request_apply(installation, render)
    else:
        set_state(
            installation,
            S.PENDING,
            f"{what}; no cluster assigned, so nothing is applied yet",
            render=render,
        )
