"""Creating an installation: its row, its repository's first commits, its first render."""

from __future__ import annotations

import shutil
import unicodedata

from django.core.exceptions import ValidationError

from akua.db import unique_or
from akua.packaging.target import namespace_problem
from catalog.archive import read_files
from catalog.models import PackageVersion, Workspace
from catalog.ties import install_refusal
from installations.actions.head import author_for
from installations.actions.request import request_render
from installations.actions.secrets import (
    markers_for_plain_secrets,
    secrets_out_of_text,
    set_sensitive_inputs,
)
from installations.input_schema import input_errors
from installations.inputs import dump_inputs, parse_inputs_text
from installations.landing import initial_target, target_file
from installations.layout import (
    INPUTS_FILE,
    INSTALLATION_PATHS,
    MANIFESTS_DIR,
    PACKAGE_LOCK_FILE,
    UPSTREAM_DIR,
)
from installations.models import Installation, InstallationEvent, Render
from installations.overrides import lock_errors
from installations.repository import Repository

NAME_MAX = 100  # Installation.name's size
# Control, format (right-to-left overrides, zero-width joiners), surrogate, private-use,
# unassigned characters and line or paragraph separators: invisible or misleading in a name.
_NAME_REFUSED = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


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
    Raises ValidationError (per field: name, customer_workspace, and each input, and each
    input the vendor locked, `installations.overrides`) before touching anything. The
    workspace must be one the package's vendor reaches (`catalog.ties`: its own, or a
    customer that accepted it) and, when `user` is given, one that person may install into
    (a member of the vendor or of that workspace): every door asks here.

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
    if problem := name_problem(name):
        errors["name"] = [problem]
    elif (
        Installation.objects.filter(customer_workspace=customer_workspace, name=name)
        .exclude(state=Installation.State.DELETED)
        .exists()
    ):  # a deleted installation's name can be used again (its repository stays, by id)
        errors["name"] = [f"{customer_workspace.name} already has an installation named {name}."]
    if namespace and (problem := namespace_problem(namespace)):
        errors["namespace"] = [problem[:1].upper() + problem[1:] + "."]
    if problem := workspace_problem(package_version, customer_workspace, user):
        errors["customer_workspace"] = [problem]
    errors.update(input_errors(package_version.input_schema, inputs))
    for path, messages in lock_errors(package_version.package_id, None, None, inputs).items():
        errors.setdefault(path, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    plain_secrets: dict[str, str] = {}
    if inputs_text is None:
        inputs, plain_secrets = markers_for_plain_secrets(package_version.input_schema, inputs)

    files = read_files(bytes(package_version.archive))
    vendored = (UPSTREAM_DIR + "/", MANIFESTS_DIR + "/")
    package_files = {
        p: b
        for p, b in files.items()
        if not p.startswith(vendored) and p not in (*INSTALLATION_PATHS, PACKAGE_LOCK_FILE)
    }
    upstream = {
        p: b for p, b in files.items() if p.startswith(UPSTREAM_DIR + "/") or p == PACKAGE_LOCK_FILE
    }
    author = author_for(user)
    package = package_version.package

    with unique_or(
        ValidationError(
            {"name": [f"{customer_workspace.name} already has an installation named {name}."]}
        )
    ):
        installation = Installation.objects.create(
            name=name,
            workspace_id=package.workspace_id,
            customer_workspace=customer_workspace,
            package_version=package_version,
            cluster=cluster,
            namespace=initial_target(name, namespace).namespace,
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
                    "Vendor dependencies\n\n"
                    + "".join(f"- {UPSTREAM_DIR}/{a}/\n" for a in aliases),
                    author=author,
                    parent=head,
                )
            if inputs_text is None:
                set_sensitive_inputs(installation, plain_secrets, user=user)
                data = dump_inputs(inputs)
            else:
                text, inputs = secrets_out_of_text(
                    installation, package_version.input_schema, inputs_text, inputs, user=user
                )
                data = text.encode("utf-8")
            target = initial_target(name, namespace)
            repo.commit_files(
                {INPUTS_FILE: data, **target_file(target)},
                f"Set inputs\n\nRelease {target.release} in namespace {target.namespace} "
                "(installation.yaml).",
                author=author,
                parent=head,
            )
            request_render(installation, trigger=Render.Trigger.INSTALL, user=user)
        except BaseException:
            shutil.rmtree(installation.repo_path, ignore_errors=True)
            raise
    return installation


def workspace_problem(package_version: PackageVersion, workspace: Workspace, user) -> str:
    """Why `package_version` may not be installed into `workspace` by `user`, or "".

    A person who belongs neither to the package's vendor nor to the workspace is told
    nothing about it; the others get the rule of `catalog.ties` with the workspace's name.
    """
    vendor = package_version.package.workspace
    if (
        user is not None
        and not user.is_superuser
        and not user.workspaces.filter(pk__in=[vendor.pk, workspace.pk]).exists()
    ):
        return "You may not install into that workspace; choose one of the listed workspaces."
    return install_refusal(vendor, workspace)


def name_problem(name: str) -> str:
    """Why `name` (already stripped) cannot name an installation, or ""."""
    if not name:
        return "Give the installation a name."
    if len(name) > NAME_MAX:
        return f"Use at most {NAME_MAX} characters; this name has {len(name)}."
    for char in name:
        if unicodedata.category(char) in _NAME_REFUSED:
            return (
                "Use letters, digits, spaces and punctuation only: this name holds an "
                f"invisible control or formatting character (U+{ord(char):04X})."
            )
    return ""
