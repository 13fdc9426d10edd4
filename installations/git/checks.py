"""What a push must satisfy before anything is accepted; one message per problem.

Run by the pre-receive hook (through `hooks`), with the pushed objects still in git's
quarantine directory, so a refused push leaves no trace in the repository. For every
updated ref:

- only `main` and `review/<name>` branches; no tags, no deletion, no force-push, and a
  push that started from an old `main` is told to pull;
- a decided change request's branch is closed;
- the pushed objects hold no symlink, submodule, oversized file or name, and the tip not
  too many files (installations.git.limits; git's fsck and the pack-size limit already
  ran before the hook);
- `manifests/` is Akua's: the push may not change it (compared with where it started);
- `inputs.yaml` parses and validates against the installation's input schema, and changes
  no input the vendor locked (`installations.overrides`, the check every door runs);
- `installation.yaml` (release and namespace) is not deleted (it is checked by the render);
- no pushed commit holds a plain value in a sensitive input (git never holds a plaintext
  secret, DESIGN §9), and every `akua-secret:` marker at the tip has a stored value;
- the pushed tree renders (`installations.rendering`, the render task's own pipeline:
  stored secrets resolved, a sensitive value outside a Secret refused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from installations.actions import head_version
from installations.git.limits import Limits, object_problems
from installations.input_schema import ALL, input_errors
from installations.inputs import InputsFileError, parse_inputs
from installations.landing import removal_problems
from installations.layout import INPUTS_FILE, MANIFESTS_DIR
from installations.models import ChangeRequest, Installation, SensitiveInput
from installations.models.change_request import REVIEW_PREFIX
from installations.overrides import lock_errors
from installations.rendering import RenderFailed, render_commit
from installations.repository import BRANCH, REF, ZERO_SHA, Repository
from installations.sensitive import (
    command_hint,
    markers_in,
    plain_sensitive_values,
)

REVIEW_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
MAX_LINES_PER_PROBLEM = 5


@dataclass(frozen=True)
class RefUpdate:
    old: str
    new: str
    ref: str

    @property
    def branch(self) -> str:
        return self.ref.removeprefix("refs/heads/")

    @property
    def is_main(self) -> bool:
        return self.ref == REF

    @property
    def is_review(self) -> bool:
        return self.ref.startswith("refs/heads/" + REVIEW_PREFIX)


class QuarantinedRepository(Repository):
    """The repository as the hook sees it: the pushed objects are readable too."""

    def __init__(self, path, object_env: dict[str, str]):
        super().__init__(path)
        self.object_env = {k: v for k, v in object_env.items() if v}

    def _git(self, *args, env=None, **kwargs):
        return super()._git(*args, env={**self.object_env, **(env or {})}, **kwargs)

    def is_ancestor(self, old: str, new: str) -> bool:
        return self._git("merge-base", "--is-ancestor", old, new, check=False).returncode == 0

    def merge_base(self, a: str, b: str) -> str | None:
        proc = self._git("merge-base", a, b, check=False)
        return proc.stdout.decode().strip() or None

    def changed_paths(self, base: str | None, new: str, prefix: str) -> list[str]:
        if base is None:
            return [e.path for e in self.tree(new, prefix)]
        out = self._out("diff", "--name-only", "--no-renames", base, new, "--", prefix + "/")
        return [line for line in out.splitlines() if line]


def check_push(
    installation: Installation,
    repo: QuarantinedRepository,
    updates: list[RefUpdate],
    *,
    can_push_main: bool,
) -> list[str]:
    """Every problem with the push, one line each; an empty list means accept."""
    problems: list[str] = []
    for update in updates:
        problems += [
            f"{update.branch}: {p}" for p in _check_ref(installation, repo, update, can_push_main)
        ]
    return problems


def _check_ref(
    installation: Installation, repo: QuarantinedRepository, update: RefUpdate, can_push_main: bool
) -> list[str]:
    if not update.ref.startswith("refs/heads/"):
        return [f"only branches can be pushed here, not {update.ref}."]
    if not (update.is_main or update.is_review):
        return [
            f"only '{BRANCH}' (applied after the checks) or 'review/<name>' (a change request "
            f"for someone to accept) can be pushed; '{update.branch}' cannot."
        ]
    if update.is_review and not REVIEW_NAME.match(update.branch.removeprefix(REVIEW_PREFIX)):
        return ["a change request name is letters, digits, '.', '_' and '-' (review/<name>)."]
    if update.new == ZERO_SHA:
        return ["deleting branches is not allowed; history is kept."]
    if update.is_main and not can_push_main:
        return [
            "you may not change this installation directly; push to review/<name> for someone "
            "to accept instead."
        ]
    current = repo.head() if update.is_main else _ref_sha(repo, update.ref)
    if update.old != ZERO_SHA and current and update.old != current:
        return [
            f"the branch moved to {current[:7]} since you fetched; run `git pull` and push again."
        ]
    if current and not repo.is_ancestor(current, update.new):
        return [
            "force-pushes are not allowed (the pushed commit does not contain the current "
            f"{current[:7]}); run `git pull` (merge or rebase on top of it) and push again."
        ]
    if update.is_review:
        decided = ChangeRequest.objects.filter(
            installation=installation, branch=update.branch
        ).exclude(state=ChangeRequest.State.OPEN)
        if decided.exists():
            return ["this change request is already decided; push to a new review/<name>."]
        main = repo.head()
        base = current or (repo.merge_base(main, update.new) if main else None)
    else:
        base = current
    problems = object_problems(repo, update.new, Limits.from_settings())
    if problems:  # nothing else is read from a tree like that
        return problems
    touched = repo.changed_paths(base, update.new, MANIFESTS_DIR)
    if touched:
        listed = ", ".join(touched[:3]) + (
            f" and {len(touched) - 3} more" if len(touched) > 3 else ""
        )
        problems.append(
            f"manifests/ is written by Akua and may not be edited by hand ({listed}); "
            "change inputs.yaml or package.k instead."
        )
    problems += removal_problems(repo, base, update.new)
    problems += _plain_secrets_in_history(installation, repo, update.new)
    problems += check_tree(installation, repo, update.new)
    return problems


def _plain_secrets_in_history(
    installation: Installation, repo: QuarantinedRepository, new: str
) -> list[str]:
    """Plain sensitive values in pushed commits before the tip (the tip: `check_tree`).

    A commit that adds a password and a later one that removes it would still put the
    password in the repository's history.
    """
    proc = repo._git(
        "rev-list", new, "--not", "--all", "--", INPUTS_FILE, check=False
    )  # the pushed commits not yet in the repository that change inputs.yaml
    problems = []
    for sha in proc.stdout.decode().split():
        if sha == new:
            continue
        try:
            inputs = parse_inputs(repo.read_file(INPUTS_FILE, sha))
        except InputsFileError:
            continue
        schema = head_version(installation, sha, repo=repo).input_schema
        for path, _value in plain_sensitive_values(schema, inputs):
            problems.append(_plain_problem(installation, path, f" at {sha[:7]}"))
    return problems


def _plain_problem(installation: Installation, path: str, where: str = "") -> str:
    return (
        f"{INPUTS_FILE}{where}: {path} is sensitive and may not be pushed as a plain value; "
        f"remove it from your commits and set it with the wizard or "
        f"{command_hint(installation.pk, path)} (inputs.yaml then holds its marker; git pull)."
    )


def _secret_problems(installation: Installation, schema: dict, inputs: dict) -> list[str]:
    """Plain values in sensitive inputs and markers without a stored value, one line each."""
    problems = [_plain_problem(installation, p) for p, _v in plain_sensitive_values(schema, inputs)]
    found = list(markers_in(inputs))
    if found:
        stored = set(
            SensitiveInput.objects.filter(
                installation=installation, path__in=[p for p, _m in found]
            ).values_list("path", "marker")
        )
        problems += [
            f"{INPUTS_FILE}: {path} refers to a secret that is not set; set it with the wizard "
            f"or {command_hint(installation.pk, path)}"
            for path, mark in found
            if (path, mark) not in stored
        ]
    return problems


def _ref_sha(repo: Repository, ref: str) -> str | None:
    proc = repo._git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    return proc.stdout.decode().strip() or None


def check_tree(installation: Installation, repo: Repository, sha: str) -> list[str]:
    """inputs.yaml validates, keeps the vendor's locks and the tree at `sha` renders;
    otherwise the problems. Locks compare with main as it is (what `sha` would replace)."""
    try:
        inputs = parse_inputs(repo.read_file(INPUTS_FILE, sha))
    except InputsFileError as exc:
        return [str(exc)]
    schema = head_version(installation, sha, repo=repo).input_schema
    secret_problems = _secret_problems(installation, schema, inputs)
    if secret_problems:
        return secret_problems
    main = repo.head()
    try:
        before = parse_inputs(repo.read_file(INPUTS_FILE, main)) if main else None
    except InputsFileError:
        before = {}  # a broken file at main: any value of a locked input is a change
    locked = lock_errors(installation.package_version.package_id, installation, before, inputs)
    problems = [f"{INPUTS_FILE}: {' '.join(messages)}" for messages in locked.values()]
    errors = input_errors(schema, inputs)
    problems += [
        f"{INPUTS_FILE}: {field if field != ALL else 'inputs'}: {' '.join(messages)}"
        for field, messages in errors.items()
    ]
    if problems:
        return problems
    try:
        render_commit(repo, sha, inputs, installation=installation)
    except RenderFailed as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        return [f"does not render: {line}" for line in lines[:MAX_LINES_PER_PROBLEM]]
    return []
