"""Every state change of an installation: create, edit inputs, render, restore, upgrade, delete.

Views, commands and tasks call these; nothing else writes Installation or Render rows.
Each action is atomic in the database, writes git through `installations.repository`
(compare-and-swap on `main`, so concurrent writers conflict instead of losing work) and
enqueues the render task with `transaction.on_commit`.

Rendering (`run_render`, the body of the render task):

- one render at a time per installation: the task claims the installation with a
  conditional UPDATE of `render_claimed_at`; a task that cannot claim leaves its Render
  queued and the holder picks it up when it releases the claim;
- every request bumps `render_generation`; a queued Render of an older generation is
  `superseded` without rendering (all renders render the head, so only the newest counts);
- the head tree is rendered; the same hash as the last deployed render -> `skipped`, no
  commit; an error -> `failed`, repository untouched, installation `failed` with the
  reason; otherwise manifests/ is committed ("render sha256:…", author Akua) -> `deployed`.

Installation state after a successful render (docs/installations.md): with a cluster it
is `syncing` (the rollout task applies it); without one it stays `pending` with the
reason "no cluster assigned", because nothing runs anywhere and `healthy` would be a lie.
"""

from __future__ import annotations

import copy
import logging
import shutil
import tempfile
import tomllib
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from akua import crypto
from akua.packaging import PackagingError, render
from catalog.archive import read_files
from catalog.models import PackageVersion, Workspace
from installations import sensitive, tasks
from installations.inputs import (
    INPUTS_FILE,
    InputsFileError,
    changed_keys,
    dump_inputs,
    input_errors,
    merge_inputs,
    parse_inputs,
    parse_inputs_text,
    replace_scalars,
    update_inputs_file,
    validate_inputs,
)
from installations.models import Installation, InstallationEvent, Render, SensitiveInput
from installations.repository import AKUA, ConflictError, Repository, Signature
from installations.sensitive import SensitiveInputError, render_manifest_files

logger = logging.getLogger(__name__)

MANIFESTS_DIR = "manifests"
LOCK_FILE = "akua.lock"
# Paths of a package version that are the installation's own, never the vendor's.
_INSTALLATION_PATHS = (INPUTS_FILE,)

__all__ = [
    "ConflictError",
    "InstallationError",
    "create_installation",
    "current_inputs",
    "delete_installation",
    "request_render",
    "restore_render",
    "run_render",
    "set_state",
    "head_version",
    "update_inputs",
    "update_inputs_text",
    "upgrade_installation",
    "update_to_newest",
    "auto_update_installations",
    "upgrade_report",
    "render_manifest_files",
    "set_sensitive_input",
    "set_sensitive_inputs",
]


class InstallationError(Exception):
    """An action cannot be done; the message tells a person why and what to do."""


def repository(installation: Installation) -> Repository:
    return Repository(installation.repo_path)


def author_for(user) -> Signature:
    """The git identity of a person: full name (or user name) and e-mail."""
    if user is None:
        return AKUA
    name = (user.get_full_name() or "").strip() or user.get_username()
    email = (user.email or "").strip() or f"{user.get_username()}@users.akua.invalid"
    return Signature(name, email)


# -- state ---------------------------------------------------------------------------


def set_state(
    installation: Installation,
    state: str,
    reason: str = "",
    *,
    render: Render | None = None,
    actor=None,
) -> None:
    """The one way an installation's state changes; every change lands in its timeline."""
    previous, previous_reason = installation.state, installation.state_reason
    Installation.objects.filter(pk=installation.pk).update(
        state=state, state_reason=reason, updated_at=timezone.now()
    )
    installation.state, installation.state_reason = state, reason
    if previous != state or previous_reason != reason:
        InstallationEvent.objects.create(
            installation_id=installation.pk,
            from_state=previous,
            to_state=state,
            reason=reason,
            render=render,
            actor=actor,
        )


# -- create ----------------------------------------------------------------------------


def create_installation(
    *,
    package_version: PackageVersion,
    customer_workspace: Workspace,
    name: str,
    inputs: dict | None,
    user,
    cluster=None,
    namespace: str = "",
    inputs_text: str | None = None,
) -> Installation:
    """A new installation with its repository; the first render is queued.

    The repository gets one commit per concern, authored by `user`: "Add package <name>
    <version>" (akua.toml, package.k, …), "Vendor dependencies" (upstream/, if any) and
    "Set inputs" (inputs.yaml). The render task adds the first "render sha256:…" commit.
    Raises ValidationError (per field: name, and each input) before touching anything.

    `inputs_text` (the wizard's YAML view): inputs.yaml as a person typed it, committed
    verbatim — comments, key order, quoting — instead of a file written from `inputs`
    (which is then ignored). It is parsed (InputsFileError with its `line`) and validated
    like `update_inputs_text`'s text, and a plain value in a sensitive input is stored and
    only that scalar replaced by its marker. Markers already in it are not checked here:
    a new installation has no stored values yet (the wizard stores its draft's in the same
    transaction, after this returns).
    """
    if inputs_text is not None:
        inputs = parse_inputs_text(inputs_text)
    inputs = dict(inputs or {})
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Give the installation a name."]
    elif Installation.objects.filter(customer_workspace=customer_workspace, name=name).exists():
        errors["name"] = [f"{customer_workspace.name} already has an installation named {name}."]
    errors.update(input_errors(package_version.input_schema, inputs))
    if errors:
        raise ValidationError(errors)
    plain_secrets: dict[str, str] = {}
    if inputs_text is None:
        inputs, plain_secrets = _markers_for_plain_secrets(package_version.input_schema, inputs)

    files = read_files(bytes(package_version.archive))
    package_files = {
        p: b
        for p, b in files.items()
        if not p.startswith(("upstream/", MANIFESTS_DIR + "/"))
        and p not in (*_INSTALLATION_PATHS, LOCK_FILE)
    }
    upstream = {p: b for p, b in files.items() if p.startswith("upstream/") or p == LOCK_FILE}
    author = author_for(user)
    package = package_version.package

    try:
        with transaction.atomic():
            installation = Installation.objects.create(
                name=name,
                workspace_id=package.workspace_id,
                customer_workspace=customer_workspace,
                package_version=package_version,
                cluster=cluster,
                namespace=namespace,
                created_by=user,
                state=Installation.State.PENDING,
                state_reason="Created; waiting for the first render",
            )
            InstallationEvent.objects.create(
                installation=installation,
                from_state="",
                to_state=Installation.State.PENDING,
                reason=f"Installed {package.name} {package_version.version}",
                actor=user,
            )
            repo = Repository.create(installation.repo_path)
            try:
                head = repo.commit_files(
                    package_files,
                    f"Add package {package.name} {package_version.version}\n\n"
                    f"Package version {package_version.id}, archive {package_version.digest}.",
                    author=author,
                    parent=None,
                )
                if upstream:
                    aliases = sorted({p.split("/")[1] for p in upstream if p.count("/") >= 2})
                    head = repo.commit_files(
                        upstream,
                        "Vendor dependencies\n\n" + "".join(f"- upstream/{a}/\n" for a in aliases),
                        author=author,
                        parent=head,
                    )
                if inputs_text is None:
                    set_sensitive_inputs(installation, plain_secrets, user=user)
                    data = dump_inputs(inputs)
                else:
                    text, inputs = _secrets_out_of_text(
                        installation, package_version.input_schema, inputs_text, inputs, user=user
                    )
                    data = text.encode("utf-8")
                repo.commit_files({INPUTS_FILE: data}, "Set inputs", author=author, parent=head)
                request_render(installation, trigger=Render.Trigger.INSTALL, user=user)
            except BaseException:
                shutil.rmtree(installation.repo_path, ignore_errors=True)
                raise
    except IntegrityError:
        raise ValidationError(
            {"name": [f"{customer_workspace.name} already has an installation named {name}."]}
        ) from None
    return installation


# -- reading ---------------------------------------------------------------------------


def current_inputs(installation: Installation) -> tuple[dict, str | None]:
    """The inputs at the head of the repository and that head (the `base_sha` of an edit)."""
    repo = repository(installation)
    head = repo.head()
    if head is None:
        return {}, None
    return parse_inputs(repo.read_file(INPUTS_FILE, head)), head


# -- edits -----------------------------------------------------------------------------


def update_inputs(installation: Installation, inputs: dict, *, user, base_sha: str) -> Render:
    """Commit new inputs on top of `base_sha` (the head the person's form was built from).

    If anyone committed since, nothing is written and ConflictError says so; the caller
    keeps the typed values and shows the message. Comments and key order in inputs.yaml
    are kept. Unchanged inputs make no commit; the render is still requested (and skipped).
    """
    _check_not_deleted(installation)
    repo = repository(installation)
    head = repo.head()
    schema = head_version(installation, head).input_schema
    validate_inputs(schema, inputs)
    if head != base_sha:
        raise _edit_conflict(repo, base_sha, head)
    inputs, plain_secrets = _markers_for_plain_secrets(schema, inputs)
    set_sensitive_inputs(installation, plain_secrets, user=user)
    original = repo.read_file(INPUTS_FILE, base_sha)
    subject = _inputs_subject("Update inputs", original, inputs)
    content = update_inputs_file(original, inputs)
    return _commit_inputs(installation, repo, content, subject, user=user, base_sha=base_sha)


def _commit_inputs(
    installation: Installation, repo: Repository, content: bytes, subject: str, *, user, base_sha
) -> Render:
    """Commit inputs.yaml on top of `base_sha` (a stale base is a conflict) and render it."""
    try:
        repo.commit_files({INPUTS_FILE: content}, subject, author=author_for(user), parent=base_sha)
    except ConflictError as exc:
        raise _edit_conflict(repo, base_sha, exc.actual) from None
    return request_render(installation, trigger=Render.Trigger.INPUTS, user=user)


def _inputs_subject(verb: str, original: bytes | None, inputs: dict) -> str:
    """A commit subject naming the inputs that changed: "Update inputs: replicas, host"."""
    try:
        old_inputs = parse_inputs(original)
    except InputsFileError:
        old_inputs = {}
    changed = changed_keys(old_inputs, inputs)
    if not changed:
        return verb
    more = f" and {len(changed) - 6} more" if len(changed) > 6 else ""
    return f"{verb}: {', '.join(changed[:6])}{more}"


def _edit_conflict(repo: Repository, base_sha: str | None, head: str | None) -> ConflictError:
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


# -- sensitive inputs (installations.sensitive, DESIGN §9) ------------------------------


def set_sensitive_inputs(installation: Installation, values: dict[str, str], *, user) -> dict:
    """Store `{path: value}` encrypted; return `{path: marker}`. Nothing is committed.

    For callers that commit inputs.yaml with the markers themselves (creating an
    installation, the wizard's confirm, `update_inputs`). A value set before keeps its row
    (so an old render can be restored with the value it had); the same value again only
    refreshes `updated_at`/`updated_by`.
    """
    markers = {}
    for path, value in values.items():
        mark = sensitive.marker(value)
        row, created = SensitiveInput.objects.get_or_create(
            installation=installation,
            path=path,
            marker=mark,
            defaults={"value_encrypted": crypto.encrypt(value), "updated_by": user},
        )
        if not created:
            SensitiveInput.objects.filter(pk=row.pk).update(
                updated_by=user, updated_at=timezone.now()
            )
        markers[path] = mark
    return markers


def set_sensitive_input(installation: Installation, path: str, value: str, *, user) -> str:
    """Set one sensitive input: store it encrypted, commit its marker, request a render.

    `path` must be a sensitive input of the version at the head ("db.password"). When
    inputs.yaml does not hold this value's marker yet, a commit "Set secret <path>" puts it
    there (comments and order kept). Returns the marker. Messages never hold the value.
    """
    _check_not_deleted(installation)
    if not isinstance(value, str) or value == "":
        raise InstallationError(f"No value given for {path}; nothing was changed.")
    repo = repository(installation)
    head = repo.head()
    version = head_version(installation, head)
    if not sensitive.is_sensitive_path(version.input_schema, path):
        raise InstallationError(
            f"{path} is not a sensitive input of {version.package.name} {version.version}; "
            "set other inputs in inputs.yaml or the inputs editor."
        )
    original = repo.read_file(INPUTS_FILE, head) if head else None
    inputs = parse_inputs(original)
    with transaction.atomic():
        mark = set_sensitive_inputs(installation, {path: value}, user=user)[path]
        if sensitive.get_path(inputs, path) != mark:
            try:
                sensitive.set_path(inputs, path, mark)
            except SensitiveInputError as exc:
                raise InstallationError(str(exc)) from None
            try:
                repo.commit_files(
                    {INPUTS_FILE: update_inputs_file(original, inputs)},
                    f"Set secret {path}",
                    author=author_for(user),
                    parent=head,
                )
            except ConflictError as exc:
                raise _edit_conflict(repo, head, exc.actual) from None
        request_render(installation, trigger=Render.Trigger.INPUTS, user=user)
    return mark


def _markers_for_plain_secrets(schema: dict, inputs: dict) -> tuple[dict, dict[str, str]]:
    """Inputs with each plain sensitive value replaced by its marker, and those values.

    So no action commits a plaintext secret, whoever calls it (API, command, old form).
    """
    plain = dict(sensitive.plain_sensitive_values(schema, inputs))
    if not plain:
        return inputs, {}
    out = copy.deepcopy(inputs)
    for path, value in plain.items():
        sensitive.set_path(out, path, sensitive.marker(value))
    return out, plain


def restore_render(render: Render, *, user) -> Render:
    """A new forward commit whose tree is `render`'s tree, then a re-render.

    History is never rewritten: the restore is a commit on top of the head, message
    "Restore render <id> (<short sha>)". Only a render that produced manifests (deployed
    or skipped) can be restored.
    """
    installation = render.installation
    _check_not_deleted(installation)
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
            raise _edit_conflict(repo, head, exc.actual) from None
    if render.package_version_id and render.package_version_id != installation.package_version_id:
        Installation.objects.filter(pk=installation.pk).update(
            package_version_id=render.package_version_id
        )
        installation.package_version_id = render.package_version_id
    return request_render(
        installation, trigger=Render.Trigger.RESTORE, user=user, restored_from=render
    )


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
      update: InstallationError naming it, nothing committed.
    - Values that are no longer inputs of the new version (renamed or removed) are not
      dropped: they stay in inputs.yaml, are listed in the commit message and the render
      fails naming them, so the previous manifests stay what runs until someone moves or
      deletes them (an inputs edit) or moves to another version.
    - `installation.package_version` changes only when a render of the new tree succeeds
      (`_render` takes the version from the head's akua.toml, see `head_version`).
    """
    _check_not_deleted(installation)
    current = installation.package_version
    if package_version.package_id != current.package_id:
        raise InstallationError(
            f"{package_version} is not a version of {current.package.name}; install it separately."
        )
    inputs, head = current_inputs(installation)
    merged = merge_inputs(inputs, values or {})  # nested: key by key; None removes a value
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
        e.path: None
        for e in repo.tree(head)
        if e.path not in _INSTALLATION_PATHS and not e.path.startswith(MANIFESTS_DIR + "/")
    }
    for path, data in new_files.items():
        if path not in _INSTALLATION_PATHS and not path.startswith(MANIFESTS_DIR + "/"):
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
    try:
        repo.commit_files(
            changes,
            f"Update package {current.package.name} {old_version.version} -> {package_version.version}"
            f"\n\n{body}",
            author=author_for(user),
            parent=head,
        )
    except ConflictError as exc:
        raise _edit_conflict(repo, head, exc.actual) from None
    return request_render(installation, trigger=Render.Trigger.VERSION, user=user)


def update_to_newest(installation: Installation, *, user) -> tuple[PackageVersion, Render | None]:
    """Update to the newest release of the installation's package (pre-releases left out).

    Returns `(newest, render)`; `render` is None when the repository already holds the newest
    (nothing to do). Raises InstallationError / ConflictError like `upgrade_installation`.
    """
    from catalog.versions import newest_release

    _check_not_deleted(installation)
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
    from catalog.versions import is_newer, is_prerelease

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
            elif message == "This field is required.":
                missing.append(field)
            else:
                invalid.append(f"{field}: {message}")
    return UpgradeReport(removed, missing, invalid)


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
        data = tomllib.loads((repo.read_file("akua.toml", head) or b"").decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return current
    version = str((data.get("package") or {}).get("version") or "")
    if not version or version == current.version:
        return current
    return (
        PackageVersion.objects.filter(package_id=current.package_id, version=version).first()
        or current
    )


def delete_installation(installation: Installation, *, user) -> None:
    """Remove its objects from its cluster, then mark deleted: hidden from lists, no more
    renders. The repository is kept for audit (read-only). A cluster that does not answer
    stops the deletion (clusters.actions.ClusterActionError, nothing marked deleted)."""
    if installation.cluster_id:
        from installations.rollout import claim_cluster, uninstall

        # Held until it is marked deleted, so no apply puts the objects back in between.
        with claim_cluster(installation):
            uninstall(installation, user=user)
            _mark_deleted(installation, user)
    else:
        _mark_deleted(installation, user)


def _mark_deleted(installation: Installation, user) -> None:
    with transaction.atomic():
        Render.objects.filter(installation=installation, state=Render.State.QUEUED).update(
            state=Render.State.SUPERSEDED,
            message="Installation deleted",
            finished_at=timezone.now(),
        )
        set_state(installation, Installation.State.DELETED, "Deleted", actor=user)


def _check_not_deleted(installation: Installation) -> None:
    if installation.state == Installation.State.DELETED:
        raise InstallationError("This installation is deleted; it cannot be changed.")


# -- render requests -------------------------------------------------------------------


def request_render(
    installation: Installation,
    *,
    trigger: str,
    user=None,
    restored_from: Render | None = None,
    author: Signature | None = None,
) -> Render:
    """Queue a render of the head; a newer request supersedes this one while it is queued.

    `author` is recorded on the Render when it is not `user` (a git push: the pushed
    commit's author).
    """
    _check_not_deleted(installation)
    author = author or author_for(user)
    with transaction.atomic():
        Installation.objects.filter(pk=installation.pk).update(
            render_generation=F("render_generation") + 1, reconciling=True
        )
        installation.refresh_from_db(fields=["render_generation", "reconciling", "package_version"])
        render = Render.objects.create(
            installation=installation,
            generation=installation.render_generation,
            trigger=trigger,
            package_version_id=installation.package_version_id,
            restored_from=restored_from,
            requested_by=user,
            author_name=author.name,
            author_email=author.email,
            message="Queued",
        )
        render_id = render.id
        transaction.on_commit(lambda: tasks.enqueue_render(render_id))
    return render


# -- the render task -------------------------------------------------------------------


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
                _render(newest)
        finally:
            _release(installation_id)


def _queued(installation_id: str):
    return Render.objects.filter(installation_id=installation_id, state=Render.State.QUEUED)


def claim_timeout() -> timedelta:
    """How old a task's claim on an installation (render or apply) must be to count as
    left by a dead worker: the task timeout and a minute."""
    return timedelta(seconds=int(settings.Q_CLUSTER.get("timeout") or 600) + 60)


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


def _render(render: Render) -> None:
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
        head = repo.head()
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

        last = (
            Render.objects.filter(installation_id=installation.pk, state=Render.State.DEPLOYED)
            .exclude(pk=render.pk)
            .order_by("-finished_at", "-generation")
            .first()
        )
        if last is not None and last.render_hash == result.hash:
            _finish(
                render,
                Render.State.SKIPPED,
                f"Same manifests as {last.id}; nothing to commit",
                render_hash=result.hash,
                secret_manifests=sensitive.seal(result.secret_manifests),
            )
            _move_version(installation, version)
            _settle(installation, render, before, skipped=True)
            return

        files = {f"{MANIFESTS_DIR}/{f.name}": f.content for f in result.files}
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
        _move_version(installation, version)
        _settle(installation, render, before, skipped=False)
        return

    _fail(
        installation, render, "The repository kept changing while rendering; request a new render."
    )


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
        values = sensitive.resolve(installation, inputs)  # markers -> the values (§9)
    except SensitiveInputError as exc:
        raise InstallationError(str(exc)) from None
    with tempfile.TemporaryDirectory(prefix="akua-render-") as tmp:
        tree = repo.extract_tree(head, Path(tmp) / "tree", exclude=(MANIFESTS_DIR,))
        try:
            result = render(tree, sensitive.substitute(inputs, values))
        except PackagingError as exc:
            # Name files as they are in the repository, not in the temporary directory.
            message = str(exc).replace(f"{tree.resolve()}/", "").replace(f"{tree}/", "")
            raise InstallationError(sensitive.scrub(message, values)) from None
        except Exception as exc:
            if not values:
                raise
            # The engines' messages may quote inputs: never let a value out, not even in logs.
            message = sensitive.scrub(f"{type(exc).__name__}: {exc}", values)
            logger.error("render of %s crashed: %s", installation.pk, message)
            raise InstallationError(f"Internal error while rendering: {message}") from None
    try:
        # Secrets redacted for git (their full form returned apart), leaks refused.
        return sensitive.protect(result, values)
    except SensitiveInputError as exc:
        raise InstallationError(str(exc)) from None


def _move_version(installation: Installation, version: PackageVersion) -> None:
    """After a successful render: the installation runs the version its head holds."""
    if installation.package_version_id != version.pk:
        Installation.objects.filter(pk=installation.pk).update(package_version=version)
        installation.package_version = version


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
    if skipped and installation.cluster_id and before[0] in (S.HEALTHY, S.DEGRADED, S.SYNCING):
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
        from installations.rollout import request_apply  # tasks.apply_installation

        request_apply(installation, render)
    else:
        set_state(
            installation,
            S.PENDING,
            f"{what}; no cluster assigned, so nothing is applied yet",
            render=render,
        )


# -- inputs.yaml as a person typed it ---------------------------------------------------


def update_inputs_text(installation: Installation, text: str, *, user, base_sha: str) -> Render:
    """Commit `text` as inputs.yaml exactly as written, on top of `base_sha`; request a render.

    For the inputs editor's YAML view: a person's comments, key order, quoting and blank
    lines are committed byte-for-byte — with one exception: a plain value in a sensitive
    input is stored encrypted (`set_sensitive_inputs`) and only that scalar is replaced by
    its marker in the text, so git never holds it (DESIGN §9). Raises, writing nothing:

    - InputsFileError for text that is not YAML (message and `line` say where);
    - ValidationError per field for inputs the head version's schema refuses, and for an
      `akua-secret:` marker with no stored value;
    - ConflictError when anyone committed since `base_sha` (like `update_inputs`).

    Vendor locks are the wizard's (wizard.models.FieldOverride): its view checks them first.
    Text identical to the committed file makes no commit; the render is still requested.
    """
    _check_not_deleted(installation)
    repo = repository(installation)
    head = repo.head()
    schema = head_version(installation, head).input_schema
    inputs = parse_inputs_text(text)
    validate_inputs(schema, inputs)
    if head != base_sha:
        raise _edit_conflict(repo, base_sha, head)
    with transaction.atomic():
        text, inputs = _secrets_out_of_text(installation, schema, text, inputs, user=user)
        _check_markers_stored(installation, inputs)
        original = repo.read_file(INPUTS_FILE, base_sha) if base_sha else None
        subject = _inputs_subject("Update inputs.yaml", original, inputs)
        content = text.encode("utf-8")
        return _commit_inputs(installation, repo, content, subject, user=user, base_sha=base_sha)


def _secrets_out_of_text(
    installation: Installation, schema: dict, text: str, inputs: dict, *, user
) -> tuple[str, dict]:
    """Typed inputs.yaml with each plain sensitive value stored (`set_sensitive_inputs`) and
    only that scalar replaced by its marker (the rest byte-for-byte); and its inputs.
    Call inside the transaction that commits the text."""
    plain = dict(sensitive.plain_sensitive_values(schema, inputs))
    if not plain:
        return text, inputs
    text = replace_scalars(text, set_sensitive_inputs(installation, plain, user=user))
    inputs = parse_inputs_text(text)
    left = [p for p, _v in sensitive.plain_sensitive_values(schema, inputs)]
    if left:  # a construct replace_scalars cannot rewrite in place (never expected)
        raise ValidationError(
            {
                p: ["Sensitive: give it as a plain one-line value so Akua can store it."]
                for p in left
            }
        )
    return text, inputs


def _check_markers_stored(installation: Installation, inputs: dict) -> None:
    """ValidationError for each `akua-secret:` marker the installation has no value for."""
    found = list(sensitive.markers_in(inputs))
    if not found:
        return
    stored = set(
        SensitiveInput.objects.filter(
            installation=installation, path__in=[p for p, _m in found]
        ).values_list("path", "marker")
    )
    missing = {
        path: [
            "Refers to a secret that is not set; set it with the wizard or "
            f"{sensitive.command_hint(installation.pk, path)}."
        ]
        for path, mark in found
        if (path, mark) not in stored
    }
    if missing:
        raise ValidationError(missing)
