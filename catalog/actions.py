"""Publishing a package version: check it renders, cache its schema, store it immutably.

A version is refused, with the packaging error as its message, when its akua.toml or
package.k does not load, its schema does not export, or it does not render with its
example inputs (inputs.example.yaml, else the schema defaults). Versions are immutable:
publishing the same version twice is refused, whatever the bytes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from django.db import IntegrityError, transaction

from akua.packaging import PackagingError, export_schema, load_package, render
from akua.packaging.manifest import load_manifest
from catalog.archive import (
    ArchiveError,
    archive_digest,
    pack_directory,
    pack_files,
    read_files,
    write_files,
)
from catalog.models import Package, PackageVersion, Workspace

EXAMPLE_INPUTS = "inputs.example.yaml"
README_NAMES = ("README.md", "README.markdown", "README.txt", "README")


class PublishError(Exception):
    """A package version cannot be published; `message` is what the vendor sees."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def publish_package_version(
    workspace: Workspace,
    source: Path | str | bytes,
    *,
    user=None,
    description: str | None = None,
) -> PackageVersion:
    """Publish a package from a directory, a .tgz path or .tgz bytes into `workspace`."""
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
        readme = _readme(tree)

    with transaction.atomic():
        package, created = Package.objects.get_or_create(
            workspace=workspace,
            name=manifest.name,
            defaults={"description": description or manifest.description},
        )
        if not created and description is not None and package.description != description:
            Package.objects.filter(pk=package.pk).update(description=description)
        if PackageVersion.objects.filter(package=package, version=manifest.version).exists():
            raise PublishError(_duplicate(manifest.name, manifest.version))
        try:
            with transaction.atomic():
                return PackageVersion.objects.create(
                    package=package,
                    version=manifest.version,
                    archive=archive,
                    digest=archive_digest(archive),
                    input_schema=schema,
                    readme=readme,
                    published_by=user,
                )
        except IntegrityError:
            raise PublishError(_duplicate(manifest.name, manifest.version)) from None


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
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
