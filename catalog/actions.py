"""Publishing a package version: check it renders, cache its schema, store it immutably.

A version is refused, with the packaging error as its message, when its akua.toml or
package.k does not load, its schema does not export, or it does not render with its
example inputs (inputs.example.yaml, else the schema defaults). Versions are immutable:
publishing the same version twice is refused, whatever the bytes.

Once a version is stored and committed, `catalog.signals.package_version_published` is
sent (installations moves the installations that have automatic updates on).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from django.db import transaction

from akua.db import unique_or
from akua.packaging import PackagingError, export_schema, load_package, render, yamlio
from akua.packaging.manifest import load_manifest
from catalog.archive import (
    ArchiveError,
    archive_digest,
    pack_directory,
    pack_files,
    read_files,
    write_files,
)
from catalog.models import Package, PackageVersion, Source, Workspace
from catalog.signals import package_version_published

EXAMPLE_INPUTS = "inputs.example.yaml"
README_NAMES = ("README.md", "README.markdown", "README.txt", "README")


class PublishError(Exception):
    """A package version cannot be published; `message` is what the vendor sees."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NoInputsError(PublishError):
    """The package has no inputs and the vendor did not confirm that this is intended."""


def publish_package_version(
    workspace: Workspace,
    source: Path | str | bytes,
    *,
    user=None,
    description: str | None = None,
    generated_from: Source | None = None,
    source_ref: str = "",
    allow_no_inputs: bool = True,
) -> PackageVersion:
    """Publish a package from a directory, a .tgz path or .tgz bytes into `workspace`.

    `generated_from`/`source_ref`: the Source and upstream version a generated package
    comes from (catalog.generation); the package is linked to the source.
    `allow_no_inputs=False`: a package whose Input has no fields is refused with
    NoInputsError, so a page can ask the vendor first (nothing is stored).
    """
    if workspace.kind != Workspace.Kind.VENDOR:
        raise PublishError(
            f"{workspace.name} is a customer workspace; only vendor workspaces publish packages."
        )
    archive = _archive_of(source)
    with tempfile.TemporaryDirectory(prefix="akua-publish-") as tmp:
        tree = Path(tmp) / "package"
        write_files(read_files(archive), tree)
        try:
            load_package(tree)
            manifest = load_manifest(tree)
            schema = export_schema(tree)
            inputs = _example_inputs(tree)
            render(tree, inputs)
        except PackagingError as exc:
            raise PublishError(_relative(str(exc), tree)) from None
        if not allow_no_inputs and not schema.get("properties"):
            raise NoInputsError(
                f"{manifest.name} {manifest.version} has no inputs: every installation gets "
                "the chart's defaults and nothing can be changed in the wizard."
            )
        readme = _readme(tree)

    with transaction.atomic():
        package, created = Package.objects.get_or_create(
            workspace=workspace,
            name=manifest.name,
            defaults={
                "description": description or manifest.description,
                "source": generated_from,
            },
        )
        if generated_from is not None and package.source_id != generated_from.pk:
            Package.objects.filter(pk=package.pk).update(source=generated_from)
        if not created and description is not None and package.description != description:
            Package.objects.filter(pk=package.pk).update(description=description)
        if PackageVersion.objects.filter(package=package, version=manifest.version).exists():
            raise PublishError(_duplicate(manifest.name, manifest.version))
        with unique_or(PublishError(_duplicate(manifest.name, manifest.version))):
            version = PackageVersion.objects.create(
                package=package,
                version=manifest.version,
                archive=archive,
                digest=archive_digest(archive),
                input_schema=schema,
                readme=readme,
                source_ref=source_ref,
                published_by=user,
            )
        transaction.on_commit(
            lambda: package_version_published.send(sender=PackageVersion, package_version=version)
        )
    return version


def _duplicate(name: str, version: str) -> str:
    return (
        f"version {version} of {name} is already published; versions are immutable "
        "— bump the version in akua.toml"
    )


def _archive_of(source: Path | str | bytes) -> bytes:
    try:
        if isinstance(source, bytes | bytearray):
            return pack_files(read_files(bytes(source)))
        path = Path(source)
        if path.is_dir():
            return pack_directory(path)
        if path.is_file():
            return pack_files(read_files(path.read_bytes()))
    except ArchiveError as exc:
        raise PublishError(str(exc)) from None
    raise PublishError(f"{source}: no such directory or .tgz file")


def _example_inputs(tree: Path) -> dict:
    """inputs.example.yaml when the package has one; else {} so the schema defaults apply."""
    path = tree / EXAMPLE_INPUTS
    if not path.is_file():
        return {}
    try:
        data = yamlio.load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{EXAMPLE_INPUTS}:{mark.line + 1}" if mark else EXAMPLE_INPUTS
        raise PublishError(
            f"{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PublishError(
            f"{EXAMPLE_INPUTS}: the top level must be a mapping of input names to values"
        )
    return data


def _readme(tree: Path) -> str:
    for name in README_NAMES:
        path = tree / name
        if path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")[:100_000]
    return ""


def _relative(message: str, tree: Path) -> str:
    for prefix in (f"{tree.resolve()}/", f"{tree}/", str(tree.resolve()), str(tree)):
        message = message.replace(prefix, "")
    return message


# -- sources ---------------------------------------------------------------------------------


def generate_package_version(
    source: Source,
    *,
    version_ref: str,
    package_version: str,
    exposed: list[str] | None = None,
    ui: dict | None = None,
    user=None,
    package_k: str | None = None,
    essentials: list[str] | None = None,
    allow_no_inputs: bool = True,
) -> PackageVersion:
    """Generate a package from `source` at `version_ref` and publish it as `package_version`.

    The upstream is fetched and vendored into `upstream/<alias>/`, `akua.toml` pins it,
    `package.k` exposes the `exposed` value paths (with `ui` metadata per path; the
    `essentials` first in the wizard, the rest under Advanced). A vendor who edited the
    generated program passes it as `package_k`. Raises PublishError (NoInputsError when
    `allow_no_inputs` is False and the package has no inputs).
    """
    from catalog.generation import GenerationError, generated_files

    try:
        generated = generated_files(
            source,
            version_ref=version_ref,
            package_version=package_version,
            exposed=list(exposed if exposed is not None else source.exposed_values or []),
            ui=dict(ui if ui is not None else source.ui or {}),
            essentials=list(
                essentials if essentials is not None else source.essential_values or []
            ),
        )
    except GenerationError as exc:
        raise PublishError(exc.message) from None
    files = generated.files
    if package_k is not None:
        files["package.k"] = package_k.replace("\r\n", "\n").encode("utf-8")
    return publish_package_version(
        source.workspace,
        pack_files(files),
        user=user,
        generated_from=source,
        source_ref=generated.ref,
        allow_no_inputs=allow_no_inputs,
    )


def refresh_source(source: Source) -> list[str]:
    """Refresh the upstream versions of `source`; returns the versions that are new since last time.

    Failures are kept in `last_error` (and the cached list is left as it was).
    """
    from django.utils import timezone

    from catalog.sources import SourceError, list_upstream

    now = timezone.now()
    try:
        upstream = list_upstream(source)
    except SourceError as exc:
        Source.objects.filter(pk=source.pk).update(last_checked_at=now, last_error=exc.message)
        source.last_checked_at, source.last_error = now, exc.message
        return []
    known = set(source.upstream_versions or [])
    new = [v for v in upstream.versions if v not in known] if known else []
    if source.upstream_commit and upstream.commit and upstream.commit != source.upstream_commit:
        new.append(upstream.commit)
    fields = {
        "upstream_versions": upstream.versions,
        "upstream_commit": upstream.commit,
        "last_checked_at": now,
        "last_error": "",
    }
    Source.objects.filter(pk=source.pk).update(**fields)
    for key, value in fields.items():
        setattr(source, key, value)
    return new
