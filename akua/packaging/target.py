"""Where a render lands: the release name and namespace, as `helm install NAME -n NS` takes them.

They live in the package tree, in `installation.yaml` next to `inputs.yaml`, so a render
stays a pure function of the tree (an installation's repository holds the file; moving it
to another namespace is a commit with its history):

    # Where this installation lands (as `helm install <release> --namespace <namespace>`).
    release: web
    namespace: shop

package.k reads them with `ctx.release()` and `ctx.namespace()`; a chart rendered through
`charts.<alias>.template` or `helm.template` gets them as `.Release.Name` and
`.Release.Namespace` unless the program passes others. A tree without the file renders as
before: release `release`, namespace `default`.

The release name follows Helm's rule (lower-case RFC 1123 labels separated by dots, at most
53 characters); `release_name(text)` derives one from any name, deterministically.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from akua.packaging.errors import PackagingError
from akua.packaging.yamlio import load

TARGET_FILE = "installation.yaml"
DEFAULT_RELEASE = "release"
DEFAULT_NAMESPACE = "default"
MAX_RELEASE = 53  # Helm: a release name is at most 53 characters
MAX_NAMESPACE = 63  # an RFC 1123 label

RELEASE_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
NAMESPACE_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


@dataclass(frozen=True)
class Target:
    release: str = DEFAULT_RELEASE
    namespace: str = DEFAULT_NAMESPACE

    def text(self) -> str:
        """The file's content as Akua writes it."""
        return (
            "# Where this installation lands, as `helm install <release> --namespace "
            "<namespace>` would.\n"
            "# Changing the namespace moves the installation there (applied there, then "
            "removed from the old one).\n"
            f"release: {self.release}\n"
            f"namespace: {self.namespace}\n"
        )


def release_problem(value) -> str | None:
    """Why `value` is not a Helm release name, or None."""
    return _name_problem(
        "release",
        value,
        MAX_RELEASE,
        RELEASE_RE,
        "a Helm release name: lower-case letters, digits, '-' and '.'",
    )


def namespace_problem(value) -> str | None:
    """Why `value` is not a Kubernetes namespace name, or None."""
    return _name_problem(
        "namespace",
        value,
        MAX_NAMESPACE,
        NAMESPACE_RE,
        "a namespace name: lower-case letters, digits and '-'",
    )


def _name_problem(what: str, value, longest: int, pattern: re.Pattern, rule: str) -> str | None:
    if not isinstance(value, str) or not value:
        return f"{what} must be a name such as my-app"
    if len(value) > longest:
        return f"{what} {value!r} is longer than {longest} characters"
    if not pattern.match(value):
        return f"{what} {value!r} is not {rule}, starting and ending with a letter or digit"
    return None


def parse_target(text: str, *, file: str = TARGET_FILE) -> Target:
    """The file's release and namespace; PackagingError naming the file (and line) otherwise."""
    try:
        data = load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PackagingError(
            f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
            file=file,
            line=mark.line + 1 if mark else None,
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PackagingError("must be a mapping with release and namespace", file=file)
    unknown = sorted(str(k) for k in data if k not in ("release", "namespace"))
    if unknown:
        raise PackagingError(
            f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            "only release and namespace belong here",
            file=file,
        )
    release = data.get("release", DEFAULT_RELEASE)
    namespace = data.get("namespace", DEFAULT_NAMESPACE)
    for problem in (release_problem(release), namespace_problem(namespace)):
        if problem:
            raise PackagingError(problem, file=file, line=_line_of(text, problem.split()[0]))
    return Target(release=release, namespace=namespace)


def read_target(package_dir) -> Target:
    """The tree's `installation.yaml`, or the defaults when there is none."""
    path = Path(package_dir) / TARGET_FILE
    if not path.is_file():
        return Target()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PackagingError("is not UTF-8 text", file=str(path)) from None
    return parse_target(text, file=str(path))


def release_name(name: str) -> str:
    """A Helm release name for `name`: lower-case, runs of other characters become '-',
    at most 53 characters (a longer one keeps its beginning and ends with 8 hex digits of
    a hash of the whole name, so two long names stay apart). Deterministic."""
    text = re.sub(r"[^a-z0-9]+", "-", (name or "").lower()).strip("-") or DEFAULT_RELEASE
    if len(text) > MAX_RELEASE:
        digest = hashlib.sha256((name or "").encode()).hexdigest()[:8]
        text = text[: MAX_RELEASE - 9].rstrip("-") + "-" + digest
    return text


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return None
