"""Two renders, one commit: what git holds is rendered with stand-ins for sensitive inputs,
what the cluster gets is rendered with the real values (DESIGN §10, issue 10 finding 6).

A sensitive value must not reach git in any form — not plain, not base64, not reversed, not
hashed by package code. Looking for transformed values in the output cannot be complete, so
the package is rendered twice instead:

- with **stand-ins**: each sensitive input holds its marker (`akua-secret:sha256:…`, what
  inputs.yaml holds anyway, so nothing derived from it tells more than git already does);
- with the **real values**, for the cluster.

Then, object by object (`protect`):

- equal in both: committed as it is;
- a `kind: Secret`: everything but `data`/`stringData` must be equal; it is committed with
  each value redacted to `akua-redacted:sha256:<keyed hash of the real value>` (a changed
  secret still changes the render hash) and applied from the real render;
- an annotation key the vendor listed in akua.toml (`[secrets] checksum-annotations`, e.g.
  the `checksum/secret` pod-template annotation charts compute from a Secret's data), present
  in both renders with string values that differ: committed as the keyed hash of the real
  value, applied with the real value;
- anything else that differs fails the render with an error naming the object and the field
  (as the stand-in render names them: a name or key that depends on a sensitive value is
  never printed), and nothing is committed. So do a different number of objects.

The real form of every object committed differently is kept encrypted on the Render
(`sensitive.seal`) and swapped in for the apply (`sensitive.render_manifest_files`).
"""

from __future__ import annotations

import copy
from fnmatch import fnmatchcase
from typing import Any

from akua.packaging.manifests import ManifestFile, RenderResult, render_hash
from akua.packaging.yamlio import dump
from installations.layout import MANIFESTS_DIR
from installations.sensitive import (
    ProtectedRender,
    SensitiveInputError,
    is_secret,
    leaked_path,
    redact_secret,
    redaction,
)

_DATA_KEYS = ("data", "stringData")
_DEPENDS = "(a key that depends on a sensitive input)"


def protect(
    real: RenderResult,
    values: dict[str, str],
    *,
    stand_in: RenderResult | None = None,
    checksum_annotations: tuple[str, ...] = (),
) -> ProtectedRender:
    """What git may hold of a render, and what stays encrypted for the apply.

    `real`: rendered with the sensitive `values`; `stand_in`: the same package rendered with
    their markers (None when there are no sensitive values: then both are the same render).
    Raises SensitiveInputError naming the object and field that would carry a value to git.
    """
    stand_in = stand_in or real
    if len(real.resources) != len(real.files) or len(stand_in.resources) != len(
        stand_in.files
    ):  # never expected: to_files is 1:1
        raise SensitiveInputError("The render's files do not match its resources.")
    if len(real.resources) != len(stand_in.resources):
        raise SensitiveInputError(
            "The number of objects depends on a sensitive input: "
            f"{len(stand_in.resources)} with stand-ins for sensitive inputs, a different "
            "number with their values. Sensitive values may only be written into Secrets."
        )
    files: list[ManifestFile] = []
    applied: dict[str, str] = {}
    pairs = zip(real.resources, real.files, stand_in.resources, stand_in.files, strict=True)
    for resource, real_file, shown, shown_file in pairs:
        committed, different = _committed(resource, shown, shown_file.name, checksum_annotations)
        if committed is shown:
            f = shown_file
        else:
            f = ManifestFile(shown_file.name, dump(committed).encode("utf-8"))
        if different:
            applied[f"{MANIFESTS_DIR}/{f.name}"] = real_file.content.decode("utf-8")
        if (path := leaked_path(committed, values)) is not None:  # the second wall
            raise SensitiveInputError(
                f"sensitive input {path} would be written to {MANIFESTS_DIR}/{f.name} in plain "
                "text; reference it from a Secret"
            )
        files.append(f)
    return ProtectedRender(files=files, hash=render_hash(files), secret_manifests=applied)


def _committed(
    real: Any, shown: Any, file_name: str, checksum_annotations: tuple[str, ...]
) -> tuple[Any, bool]:
    """(what git holds of one object, whether the cluster gets something else)."""
    if is_secret(real) or is_secret(shown):
        rest = [_without_data(obj) for obj in (shown, real)]
        if rest[0] != rest[1]:
            raise _differs(shown, file_name, next(_differences(*rest), ()))
        return redact_secret(real), True
    if real == shown:
        return shown, False
    committed = copy.deepcopy(shown)
    for path in _differences(shown, real):
        if not _is_checksum(path, shown, real, checksum_annotations):
            raise _differs(shown, file_name, path, hint=_annotation_hint(path))
        annotations = _get(committed, path[:-1])
        annotations[path[-1]] = redaction(_get(real, path))
    return committed, True


def _without_data(obj: Any) -> Any:
    if not isinstance(obj, dict):
        return obj
    return {k: v for k, v in obj.items() if k not in _DATA_KEYS}


def _differences(shown: Any, real: Any, path: tuple = ()):
    """Paths where the two differ, spelled with the stand-in render's keys only: where the
    keys themselves differ, the path ends with _DEPENDS (a key may hold a value)."""
    if isinstance(shown, dict) and isinstance(real, dict):
        if shown.keys() != real.keys():
            yield (*path, _DEPENDS)
            return
        for key in shown:
            yield from _differences(shown[key], real[key], (*path, key))
    elif isinstance(shown, list) and isinstance(real, list):
        if len(shown) != len(real):
            yield (*path, _DEPENDS)
            return
        for i, (a, b) in enumerate(zip(shown, real, strict=True)):
            yield from _differences(a, b, (*path, i))
    elif shown != real or type(shown) is not type(real):
        yield path


def _is_checksum(path: tuple, shown: Any, real: Any, patterns: tuple[str, ...]) -> bool:
    """An annotation the vendor listed, a string in both renders."""
    if len(path) < 3 or path[-3:-1] != ("metadata", "annotations") or path[-1] == _DEPENDS:
        return False
    if not any(fnmatchcase(str(path[-1]), p) for p in patterns):
        return False
    return isinstance(_get(shown, path), str) and isinstance(_get(real, path), str)


def _annotation_hint(path: tuple) -> str:
    if len(path) >= 3 and path[-3:-1] == ("metadata", "annotations") and path[-1] != _DEPENDS:
        return (
            f" If {path[-1]} is a checksum of a Secret, the package's vendor may list it in "
            'akua.toml: [secrets] checksum-annotations = ["' + str(path[-1]) + '"].'
        )
    return ""


def _get(obj: Any, path: tuple) -> Any:
    for key in path:
        obj = obj[key]
    return obj


def _differs(shown: Any, file_name: str, path: tuple, hint: str = "") -> SensitiveInputError:
    kind = shown.get("kind", "object") if isinstance(shown, dict) else "object"
    metadata = shown.get("metadata") if isinstance(shown, dict) else None
    name = metadata.get("name", "") if isinstance(metadata, dict) else ""
    where = ".".join(str(p) for p in path) if path else "the object"
    return SensitiveInputError(
        f"{kind}/{name} ({MANIFESTS_DIR}/{file_name}) depends on a sensitive input at {where}: "
        "package.k copies a sensitive value (perhaps transformed) into an object that is not a "
        "Secret, which would put it in git. Reference a Secret instead." + hint
    )
