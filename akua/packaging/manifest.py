"""`akua.toml`: a package's identity and its pinned dependencies, validated with clear errors.

One more table a vendor may set, read by Akua's render pipeline (not by the engines):

    [secrets]
    checksum-annotations = ["checksum/secret", "checksum/*"]

annotation keys (exact, or with `*` as in a shell) whose values may depend on sensitive
inputs — the `checksum/secret` pod-template annotations Helm charts compute from a Secret's
data so that pods restart when it changes. Akua commits their values as keyed hashes and
applies the real ones (docs/installations.md, "Sensitive inputs").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from akua.packaging.errors import PackagingError

EDITION = "akua.dev/v1alpha1"
MANIFEST_FILE = "akua.toml"

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_NAME = re.compile(r"^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$")
_ALIAS = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")

# The source forms a dependency can take; exactly one per dependency.
SOURCE_FORMS = {
    "path": ("path",),
    "helm": ("repo", "chart", "version"),
    "oci": ("oci", "version"),
    "git": ("git",),
}
_KNOWN_KEYS = {"path", "repo", "chart", "version", "oci", "git", "tag", "rev", "digest", "subdir"}


def is_semver(version: str) -> bool:
    return bool(_SEMVER.match(version))


@dataclass(frozen=True)
class Dependency:
    """One `[dependencies.<alias>]` entry. `kind` is path, helm, oci or git."""

    alias: str
    kind: str
    path: str | None = None
    repo: str | None = None
    chart: str | None = None
    version: str | None = None
    oci: str | None = None
    git: str | None = None
    tag: str | None = None
    rev: str | None = None
    subdir: str | None = None
    digest: str | None = None

    @property
    def source(self) -> str:
        """Where it comes from, in one string, as Akua's own tool records it in akua.lock:
        `helm+<repo>#<chart>` for a Helm repository, the `oci://` reference for OCI."""
        if self.kind == "path":
            return f"path:{self.path}"
        if self.kind == "helm":
            return f"helm+{self.repo}#{self.chart}"
        if self.kind == "oci":
            return self.oci
        ref = self.tag or self.rev
        return f"{self.git}@{ref}" + (f"#{self.subdir}" if self.subdir else "")

    def recorded_as(self, source: str) -> bool:
        """Whether an akua.lock `source` names this dependency: the form above, the same
        with or without a trailing slash, and the `<repo>/<chart>` form Akua once wrote."""
        if source == self.source:
            return True
        if self.kind == "helm":
            repo = self.repo.rstrip("/")
            return source in {
                f"helm+{repo}#{self.chart}",
                f"helm+{repo}/#{self.chart}",
                f"{repo}/{self.chart}",
            }
        if self.kind == "oci":
            return source.rstrip("/") == self.oci.rstrip("/")
        return False


@dataclass(frozen=True)
class PackageManifest:
    name: str
    version: str
    edition: str
    dependencies: dict[str, Dependency] = field(default_factory=dict)
    description: str = ""
    checksum_annotations: tuple[str, ...] = ()


def load_manifest(package_dir: Path) -> PackageManifest:
    """Read and validate `<package_dir>/akua.toml`."""
    path = Path(package_dir) / MANIFEST_FILE
    if not path.is_file():
        raise PackagingError(f"no {MANIFEST_FILE} in {package_dir}", file=str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = _toml_line(str(exc))
        raise PackagingError(f"invalid TOML: {exc}", file=str(path), line=line) from None
    except UnicodeDecodeError:
        raise PackagingError("akua.toml is not UTF-8 text", file=str(path)) from None
    return parse_manifest(data, file=str(path))


def parse_manifest(data: dict, *, file: str = MANIFEST_FILE) -> PackageManifest:
    def fail(message: str) -> PackagingError:
        return PackagingError(message, file=file)

    pkg = data.get("package")
    if not isinstance(pkg, dict):
        raise fail("missing [package] table (name, version, edition)")
    name = pkg.get("name")
    version = pkg.get("version")
    edition = pkg.get("edition")
    if not isinstance(name, str) or not name:
        raise fail("[package] name is required")
    if not _NAME.match(name):
        raise fail(f"[package] name {name!r} must be lower case letters, digits, '-', '_' or '.'")
    if not isinstance(version, str) or not version:
        raise fail("[package] version is required")
    if not is_semver(version):
        raise fail(f"[package] version {version!r} is not a semantic version (like 1.2.3)")
    if edition is None:
        raise fail(f'[package] edition is required (edition = "{EDITION}")')
    if edition != EDITION:
        raise fail(f'[package] edition {edition!r} is not supported; use "{EDITION}"')

    deps_table = data.get("dependencies", {})
    if not isinstance(deps_table, dict):
        raise fail("[dependencies] must be a table")
    deps = {alias: _parse_dependency(alias, spec, fail) for alias, spec in deps_table.items()}
    return PackageManifest(
        name=name,
        version=version,
        edition=edition,
        dependencies=deps,
        description=str(pkg.get("description", "")),
        checksum_annotations=_parse_secrets(data.get("secrets", {}), fail),
    )


_SECRETS_KEYS = {"checksum-annotations"}
_ANNOTATION_PATTERN = re.compile(r"^[A-Za-z0-9*][A-Za-z0-9_.*/-]{0,252}$")


def _parse_secrets(table, fail) -> tuple[str, ...]:
    """`[secrets] checksum-annotations`: annotation keys (or `*` patterns) Akua may commit as
    keyed hashes when their values depend on sensitive inputs."""
    if not isinstance(table, dict):
        raise fail("[secrets] must be a table")
    unknown = sorted(set(table) - _SECRETS_KEYS)
    if unknown:
        raise fail(f"[secrets]: unknown key(s) {', '.join(unknown)}")
    keys = table.get("checksum-annotations", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise fail(
            '[secrets] checksum-annotations must be a list of strings, like ["checksum/secret"]'
        )
    for key in keys:
        if not _ANNOTATION_PATTERN.match(key):
            raise fail(
                f"[secrets] checksum-annotations: {key!r} is not an annotation key "
                "(letters, digits, '-', '_', '.', '/', and '*' for any characters)"
            )
    return tuple(keys)


def _parse_dependency(alias: str, spec, fail) -> Dependency:
    where = f"[dependencies.{alias}]"
    if not _ALIAS.match(alias):
        raise fail(f"{where}: the alias must be a KCL identifier (letters, digits, '_')")
    if not isinstance(spec, dict):
        raise fail(f'{where} must be a table, like {alias} = {{ path = "./charts/{alias}" }}')
    unknown = sorted(set(spec) - _KNOWN_KEYS)
    if unknown:
        raise fail(f"{where}: unknown key(s) {', '.join(unknown)}")
    for key, value in spec.items():
        if not isinstance(value, str):
            raise fail(f"{where}: {key} must be a string")

    forms = [f for f, keys in SOURCE_FORMS.items() if keys[0] in spec]
    if "chart" in spec and "repo" not in spec:
        raise fail(f"{where}: chart needs repo (an HTTP Helm repository URL)")
    if len(forms) == 0:
        raise fail(
            f"{where}: needs one source: path, repo+chart+version, oci+version or git+tag|rev"
        )
    if len(forms) > 1:
        raise fail(f"{where}: has more than one source ({' and '.join(forms)}); pick exactly one")
    kind = forms[0]
    for key in SOURCE_FORMS[kind]:
        if not spec.get(key):
            raise fail(f"{where}: {kind} dependencies need {key}")
    if kind == "git":
        if bool(spec.get("tag")) == bool(spec.get("rev")):
            raise fail(f"{where}: git dependencies need exactly one of tag or rev")
    elif "tag" in spec or "rev" in spec:
        raise fail(f"{where}: tag and rev only apply to git dependencies")
    if "digest" in spec and not _DIGEST.match(spec["digest"]):
        raise fail(f"{where}: digest must look like sha256:<64 hex digits>")

    for key in ("repo", "oci", "git"):
        if key in spec:
            _check_url(spec[key], f"{where} {key}", fail, oci=(key == "oci"))
    if kind == "path" and Path(spec["path"]).is_absolute():
        raise fail(f"{where}: path must be relative to the package")

    return Dependency(alias=alias, kind=kind, **{k: v for k, v in spec.items()})


def _check_url(url: str, where: str, fail, *, oci: bool) -> None:
    parts = urlsplit(url)
    if oci:
        if parts.scheme != "oci":
            raise fail(f"{where}: must start with oci://")
    elif parts.scheme not in {"http", "https", "file"}:
        raise fail(f"{where}: {url!r} must be an http(s) URL")
    if parts.username or parts.password:
        raise fail(
            f"{where}: credentials in URLs are refused; configure registry credentials outside akua.toml"
        )


def _toml_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
