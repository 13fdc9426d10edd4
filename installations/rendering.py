"""One render pipeline: a package tree and an installation's inputs -> what git may hold.

    resolve markers -> render with stand-ins and with values -> compare -> scrub messages

1. every `akua-secret:` marker in the inputs is resolved to its value: a value typed in
   the wizard and not stored yet (`typed`), else the installation's stored one
   (`sensitive.resolve`); a marker without a value fails, naming its path;
2. the inputs with the values substituted are rendered by `akua.packaging.render` (which
   runs the engines in their sandbox) in a temporary directory holding only the tree; when
   there are sensitive values, the inputs as committed (markers standing in for them) are
   rendered too;
3. `stand_ins.protect` compares the two: what git gets is the stand-in render, each
   `kind: Secret` redacted (its real form kept apart, encrypted on the Render); any other
   object that depends on a sensitive value fails the render, naming it;
4. any message is scrubbed of values and names files as the package does (`package.k:14`),
   never a server's temporary directory.

The render task, the wizard's preview and review, push checks and change requests all
call it, so a package renders, fails and is described the same way through every door.
`RenderFailed` is the one failure; its message is safe to show anyone who may see the
installation.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping
from pathlib import Path

from akua.packaging import PackagingError
from akua.packaging import render as render_package
from akua.packaging.manifest import load_manifest
from installations import sensitive, stand_ins
from installations.layout import INPUTS_FILE, MANIFESTS_DIR, in_manifests
from installations.repository import Repository
from installations.sensitive import ProtectedRender, SensitiveInputError

logger = logging.getLogger(__name__)

TEMP_PREFIX = "akua-render-"
# How the render sandbox words its own failures (limits, crashes): no package code in them.
SANDBOX_WORDS = (
    "the render took ",
    "the render used ",
    "the render printed ",
    "the render ran out ",
    "the render's output ",
    "the render produced ",
    "the render crashed ",
    "the render process ",
    "the render sandbox ",
)


class RenderFailed(Exception):
    """The inputs do not render; the message names package files and never a value."""


def secret_values(
    inputs: dict, *, installation=None, typed: Mapping[str, str] | None = None
) -> dict[str, str]:
    """`{path: value}` behind every marker in `inputs`: `typed` first, then stored values.

    RenderFailed names the first marker nobody has a value for.
    """
    values: dict[str, str] = {}
    for path, mark in sensitive.markers_in(inputs):
        value = (typed or {}).get(path)
        if value is not None and sensitive.marker(value) == mark:
            values[path] = value
    rest = sensitive.substitute(inputs, values)
    left = sensitive.markers_in(rest)
    if not left:
        return values
    if installation is None:
        raise RenderFailed(
            f"inputs.yaml: {left[0][0]} refers to a secret that is not set; type its value "
            "in the form."
        )
    try:
        values.update(sensitive.resolve(installation, rest))
    except SensitiveInputError as exc:
        raise RenderFailed(str(exc)) from None
    return values


def render_tree(
    tree: Path, inputs: dict, *, installation=None, typed: Mapping[str, str] | None = None
) -> ProtectedRender:
    """Render the package in the directory `tree` with `inputs` (markers and all).

    With sensitive values, twice: the markers stand in for them in what git gets, the values
    are used for what the cluster gets (`installations.stand_ins`). The stand-in render goes
    first, and its error is shown whole; an error of the render with the values is shown by
    its place only, since package code may have put a value, transformed, into the message.
    """
    values = secret_values(inputs, installation=installation, typed=typed)
    stand_in, checksums = None, ()
    if values:
        stand_in = _render(tree, inputs, values, stand_ins=True)
        checksums = _checksum_annotations(tree)
    real = _render(tree, sensitive.substitute(inputs, values), values, tainted=bool(values))
    try:
        return stand_ins.protect(real, values, stand_in=stand_in, checksum_annotations=checksums)
    except SensitiveInputError as exc:
        raise RenderFailed(_clean(str(exc), tree, values)) from None


def _render(
    tree: Path,
    inputs: dict,
    values: dict[str, str],
    *,
    stand_ins: bool = False,
    tainted: bool = False,
):
    try:
        return render_package(tree, inputs)
    except PackagingError as exc:
        if tainted:
            raise RenderFailed(_tainted(exc, tree, values)) from None
        message = _clean(str(exc), tree, values)
        if stand_ins:
            message = (
                "With stand-ins for its sensitive inputs (their akua-secret: markers), the "
                f"package does not render: {message}"
            )
        raise RenderFailed(message) from None
    except Exception as exc:  # a crash in an engine: still a message, never a value
        if tainted:
            logger.error("render with sensitive values crashed: %s", type(exc).__name__)
            raise RenderFailed(f"Internal error while rendering: {type(exc).__name__}") from None
        message = _clean(f"{type(exc).__name__}: {exc}", tree, values)
        logger.error("render crashed: %s", message)
        raise RenderFailed(f"Internal error while rendering: {message}") from None


def _tainted(exc: PackagingError, tree: Path, values: dict[str, str]) -> str:
    """The message for a render that fails only with the real values: where, not what —
    but a limit or a crash the sandbox reports (no file; its own words, "the render …") is
    shown as it is."""
    if exc.file is None and exc.message.startswith(SANDBOX_WORDS):
        return _clean(str(exc), tree, values)
    where = _clean(exc.file or "", tree, values) if exc.file else "the package"
    if exc.file and exc.line:
        where += f":{exc.line}"
    paths = ", ".join(sorted(values))
    return (
        f"{where}: the package renders with stand-ins for its sensitive inputs but not with "
        f"their values ({paths}); the message is not shown, as it could hold a value. Check "
        "what the package requires of them there (a length, a pattern)."
    )


def _checksum_annotations(tree: Path) -> tuple[str, ...]:
    """The vendor's `[secrets] checksum-annotations` (akua.toml; it rendered, so it parses)."""
    try:
        return load_manifest(tree).checksum_annotations
    except PackagingError:
        return ()


def render_files(files: Mapping[str, bytes], inputs: dict, **kwargs) -> ProtectedRender:
    """Render a package given as `{path: bytes}` (a version's archive, a head's tree);
    manifests/ and inputs.yaml in it are left out."""
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
        root = Path(tmp) / "tree"
        for path, data in files.items():
            if in_manifests(path) or path == INPUTS_FILE:
                continue
            target = root / path
            if root not in target.resolve().parents:
                continue  # never expected: archives are checked when published
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        root.mkdir(exist_ok=True)
        return render_tree(root, inputs, **kwargs)


def render_commit(repo: Repository, sha: str, inputs: dict, **kwargs) -> ProtectedRender:
    """Render the tree of commit `sha` (manifests/ left out) with `inputs`."""
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
        tree = repo.extract_tree(sha, Path(tmp) / "tree", exclude=(MANIFESTS_DIR,))
        return render_tree(tree, inputs, **kwargs)


def _clean(message: str, tree: Path, values: dict[str, str]) -> str:
    """Files named as in the package, sensitive values replaced by their paths."""
    for root in {str(tree.resolve()), str(tree)}:
        message = message.replace(root + "/", "").replace(root, ".")
    return sensitive.scrub(message, values)
