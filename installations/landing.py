"""Where an installation lands: its release name and namespace, kept in its repository.

`installation.yaml` at the root of the tree (akua.packaging.target reads it at every
render) holds both, as `helm install <release> --namespace <namespace>` takes them:

- the release name is derived from the installation's name when it is created
  (`release_name`: lower-case RFC 1123, at most 53 characters) and written once, so it
  stays the same if the derivation ever changes; two installations render distinct
  cluster-scoped names (`<release>-…`);
- the namespace is the one chosen when a cluster is assigned, the release name until then;
  changing it is a commit (`move_namespace`), so a move has its history.

Installations made before the file existed get it written by the render task the next
time they render (`record_missing`, a commit by Akua): no data migration walks every
repository, and the render that follows is a pure function of the tree again. Until then
`target_at` answers what the file will say. The cluster is not in the file: a kubeconfig
belongs to a workspace, and the tree is readable by anyone with a read token.
"""

from __future__ import annotations

from akua.packaging import PackagingError
from akua.packaging.target import Target, parse_target, release_name
from installations.layout import TARGET_FILE
from installations.models import Installation
from installations.repository import AKUA, Repository

__all__ = ["TARGET_FILE", "Target", "initial_target", "target_at", "target_file"]


def initial_target(name: str, namespace: str = "") -> Target:
    """What a new installation named `name` lands as: its release, in `namespace` (or a
    namespace named after the release)."""
    release = release_name(name)
    return Target(release=release, namespace=namespace or release)


def target_file(target: Target) -> dict[str, bytes]:
    return {TARGET_FILE: target.text().encode("utf-8")}


def target_at(installation: Installation, repo: Repository, sha: str | None) -> Target:
    """The release and namespace of the tree at `sha`: its installation.yaml, or (for an
    installation made before the file existed) what `record_missing` will write."""
    data = repo.read_file(TARGET_FILE, sha) if sha else None
    if data is None:
        return initial_target(installation.name, installation.namespace)
    try:
        return parse_target(data.decode("utf-8", "replace"))
    except PackagingError:
        # a push checks the file; a broken one fails the render with the message
        return initial_target(installation.name, installation.namespace)


def record_missing(installation: Installation, repo: Repository, head: str | None) -> str | None:
    """Write installation.yaml when the head lacks it (an installation made before it
    existed); returns the new head, or `head` unchanged. ConflictError if the head moved."""
    if head is None or repo.read_file(TARGET_FILE, head) is not None:
        return head
    target = initial_target(installation.name, installation.namespace)
    sha = repo.commit_files(
        target_file(target),
        f"Record where this installation lands: release {target.release}, namespace "
        f"{target.namespace}\n\nAkua keeps the release name and namespace in {TARGET_FILE}, "
        "so a render depends on the tree alone.",
        author=AKUA,
        parent=head,
    )
    return sha or head


def removal_problems(repo: Repository, base: str | None, new: str) -> list[str]:
    """A push may change installation.yaml but not delete it."""
    if base and repo.read_file(TARGET_FILE, base) is not None:
        if repo.read_file(TARGET_FILE, new) is None:
            return [
                f"{TARGET_FILE} says where this installation lands (release and namespace) "
                "and may not be deleted; change the namespace in it to move the installation."
            ]
    return []
