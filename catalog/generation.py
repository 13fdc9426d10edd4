"""The files of a package generated from a Source: akua.toml, package.k, upstream/<alias>/.

`fetch_upstream(source, version_ref, dest)` puts the upstream tree (chart or manifests) at
`dest` and says how it is pinned; `generated_files(...)` builds the whole package tree as
`{path: bytes}`, ready for `catalog.archive.pack_files` and publishing, with the generation
report of a chart (`lookup` calls, schema defaults values.yaml overrides). Nothing here
writes the database.

How each kind is pinned in akua.toml:

- Helm repository: `repo`, `chart`, `version` and `digest` (sha256 of the chart .tgz).
- OCI: `oci`, `version`, `digest`.
- Git with a chart: `git`, `rev` (the commit sha the ref resolved to), `subdir`, `digest`
  (the tree digest).
- Git with plain manifests or a kustomization: not a dependency (the renderer only knows
  charts and packages as dependencies); the files are copied into `upstream/<alias>/`
  (a `kustomization.yaml` listing them is added when there is none) and the commit and
  tree digest are written as a comment in akua.toml and kept as the version's source_ref.
- Uploaded chart: `path = "./upstream/<alias>"`; the chart version is the source_ref.
- Image: no dependency; the image tag is the `tag` input.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from akua.packaging import PackagingError
from akua.packaging.fetch import fetch
from akua.packaging.generate import (
    ChartPackage,
    GenerationReport,
    ValueNode,
    akua_toml,
    chart_values,
    generate_chart,
    image_package_k,
)
from akua.packaging.lock import LockEntry, write_lock
from akua.packaging.manifest import Dependency
from catalog.models import Source
from catalog.sources.base import SourceError
from catalog.sources.upload import unpack_upload

_MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
# Charts put `checksum/secret`-style annotations on pod templates, computed from a Secret's
# data so pods restart when it changes: they may depend on sensitive inputs, and are
# committed as keyed hashes (akua.toml [secrets], docs/installations.md).
CHART_CHECKSUM_ANNOTATIONS = ("checksum/*",)


class GenerationError(Exception):
    """A package cannot be generated; `message` is what the vendor sees."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Generated:
    """A generated package tree, the exact upstream ref, and the report for a chart (else None)."""

    files: dict[str, bytes]
    ref: str
    report: GenerationReport | None = None


@dataclass
class Fetched:
    """An upstream tree on disk and how the package pins it."""

    path: Path
    alias: str
    ref: str  # the exact upstream version: chart version, or commit sha
    dependency: dict[str, str] = field(default_factory=dict)  # [dependencies.<alias>], if any
    lock: LockEntry | None = None
    is_chart: bool = True
    pin_comment: str = ""


def alias_for(source: Source) -> str:
    base = source.chart or source.url.rstrip("/").rsplit("/", 1)[-1] or source.name
    if source.kind == Source.Kind.GIT:
        base = (source.path.rstrip("/").rsplit("/", 1)[-1] if source.path else "") or source.name
    if source.kind == Source.Kind.CHART_UPLOAD:
        base = source.name
    base = base.removesuffix(".git")
    alias = re.sub(r"[^A-Za-z0-9_]", "_", base) or "app"
    return alias if not alias[0].isdigit() else f"_{alias}"


def fetch_upstream(source: Source, version_ref: str, dest: Path) -> Fetched:
    """Fetch what `source` offers at `version_ref` into `dest` (a new directory)."""
    alias = alias_for(source)
    kind = source.kind
    Path(dest).parent.mkdir(parents=True, exist_ok=True)
    try:
        if kind == Source.Kind.HELM_REPO:
            dep = Dependency(
                alias=alias, kind="helm", repo=source.url, chart=source.chart, version=version_ref
            )
            result = fetch(dep, dest)
            return Fetched(
                dest,
                alias,
                result.version,
                {"repo": source.url, "chart": source.chart, "version": result.version,
                 "digest": result.digest},
                LockEntry(alias, result.version, result.source, result.digest),
            )  # fmt: skip
        if kind == Source.Kind.OCI:
            dep = Dependency(alias=alias, kind="oci", oci=source.url, version=version_ref)
            result = fetch(dep, dest)
            return Fetched(
                dest,
                alias,
                result.version,
                {"oci": source.url, "version": result.version, "digest": result.digest},
                LockEntry(alias, result.version, result.source, result.digest),
            )
        if kind == Source.Kind.GIT:
            ref = version_ref or source.git_ref or "HEAD"
            dep = Dependency(
                alias=alias, kind="git", git=source.url, rev=ref, subdir=source.path or None
            )
            result = fetch(dep, dest)
            commit = result.version
            spec = {
                "git": source.url,
                "rev": commit,
                "subdir": source.path,
                "digest": result.digest,
            }
            pinned = Dependency(
                alias=alias, kind="git", git=source.url, rev=commit, subdir=source.path or None
            )
            if (dest / "Chart.yaml").is_file():
                return Fetched(
                    dest,
                    alias,
                    commit,
                    spec,
                    LockEntry(alias, commit, pinned.source, result.digest),
                )
            return Fetched(
                dest,
                alias,
                commit,
                is_chart=False,
                pin_comment=(
                    f"# upstream/{alias}/ is {source.url}"
                    + (f" ({source.path})" if source.path else "")
                    + f" at commit {commit}, tree {result.digest}\n"
                ),
            )
        if kind == Source.Kind.CHART_UPLOAD:
            chart = unpack_upload(bytes(source.upload or b""), dest)
            version = str(chart.get("version") or version_ref)
            return Fetched(dest, alias, version, {"path": f"./upstream/{alias}"})
    except PackagingError as exc:
        raise GenerationError(exc.message) from None
    except SourceError as exc:
        raise GenerationError(exc.message) from None
    raise GenerationError(f"a {source.get_kind_display()} source has no upstream tree to fetch")


def source_values(source: Source, version_ref: str) -> ValueNode | None:
    """The chart values of `source` at `version_ref` (None for an image or plain manifests)."""
    if source.kind == Source.Kind.IMAGE:
        return None
    with tempfile.TemporaryDirectory(prefix="akua-values-") as tmp:
        fetched = fetch_upstream(source, version_ref, Path(tmp) / "upstream")
        if not fetched.is_chart:
            return None
        try:
            return chart_values(fetched.path)
        except PackagingError as exc:
            raise GenerationError(exc.message) from None


def generated_files(
    source: Source,
    *,
    version_ref: str,
    package_version: str,
    exposed: list[str],
    ui: dict,
    essentials: list[str] | None = None,
) -> Generated:
    """The package tree generated from `source` at `version_ref`, with the exact upstream ref."""
    files: dict[str, bytes] = {}
    name = source.name
    if source.kind == Source.Kind.IMAGE:
        tag = version_ref or (source.upstream_versions or ["latest"])[0]
        files["akua.toml"] = akua_toml(
            name, package_version, description=f"The image {source.image}"
        ).encode()
        files["package.k"] = image_package_k(name, source.image, tag=tag).encode()
        return Generated(files, tag)

    report = None
    with tempfile.TemporaryDirectory(prefix="akua-generate-") as tmp:
        tree = Path(tmp) / "package"
        tree.mkdir()
        fetched = fetch_upstream(source, version_ref, tree / "upstream" / alias_for(source))
        alias = fetched.alias
        if fetched.is_chart:
            toml = akua_toml(
                name,
                package_version,
                alias=alias,
                dependency=fetched.dependency,
                checksum_annotations=CHART_CHECKSUM_ANNOTATIONS,
            )
            try:
                generated = generate_chart(
                    fetched.path,
                    ChartPackage(
                        name=name,
                        alias=alias,
                        exposed=list(exposed),
                        ui=dict(ui or {}),
                        essentials=list(essentials or []),
                    ),
                )
            except PackagingError as exc:
                raise GenerationError(exc.message) from None
            package_k, report = generated.package_k, generated.report
        else:
            toml = akua_toml(name, package_version) + "\n" + fetched.pin_comment
            _ensure_kustomization(fetched.path)
            package_k = _manifests_package_k(name, alias)
        (tree / "akua.toml").write_text(toml, encoding="utf-8")
        (tree / "package.k").write_text(package_k, encoding="utf-8")
        if fetched.lock is not None:
            write_lock(tree, {alias: fetched.lock})
        for path in sorted(tree.rglob("*")):
            if path.is_file() and not path.is_symlink():
                files[path.relative_to(tree).as_posix()] = path.read_bytes()
    return Generated(files, fetched.ref, report)


def _ensure_kustomization(directory: Path) -> None:
    names = ("kustomization.yaml", "kustomization.yml", "Kustomization")
    if any((directory / n).is_file() for n in names):
        return
    resources = sorted(
        p.relative_to(directory).as_posix()
        for p in directory.rglob("*")
        if p.is_file() and p.suffix in _MANIFEST_SUFFIXES and not p.name.startswith(".")
    )
    if not resources:
        raise GenerationError("the git directory holds no chart, kustomization or manifests")
    text = yaml.safe_dump(
        {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": resources,
        },
        sort_keys=False,
    )
    (directory / "kustomization.yaml").write_text(
        "# Added by Akua: the manifests of this directory.\n" + text, encoding="utf-8"
    )


def _manifests_package_k(name: str, alias: str) -> str:
    return (
        f"# Generated by Akua: the manifests in upstream/{alias}/ as they are. Edit freely,\n"
        "# e.g. add inputs to an Input schema and patch the resources below with them.\n"
        "import akua.ctx\n"
        "import akua.kustomize\n\n"
        "schema Input:\n"
        f'    """{name} has no inputs yet; its manifests are applied as they are."""\n\n'
        "input: Input = ctx.input()\n\n"
        f'resources = kustomize.build(kustomize.Build {{path = "upstream/{alias}"}})\n'
    )
