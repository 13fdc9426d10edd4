"""The draft a person fills in, with what surrounds it: the form, the vendor's overrides, the URLs.

Two scopes share every view: a new installation of a package version
(`/wizard/new/<version>/…`) and an edit of an installation's inputs
(`/wizard/<installation>/…`). One draft per (person, package version) or (person,
installation).

A GET never writes: without a draft, the pages show an unsaved one (the package defaults
and the vendor's defaults; for an edit, inputs.yaml at the head, whose commit the step
form carries as `_base`). The draft is created and saved by POSTs only (a field left, an
array edit, back, next, a step link, save), so a closed tab resumes where it was.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from catalog.models import PackageVersion
from installations import input_schema
from installations.access import (
    get_installation_for_user,
    installable_versions_for_user,
    target_workspaces_for_user,
)
from installations.actions import current_inputs, repository
from installations.input_schema import MISSING, Lock, get_value, set_value
from installations.inputs import (
    INPUTS_FILE,
    InputsFileError,
    dump_inputs,
    parse_inputs,
    parse_inputs_text,
    update_inputs_file,
)
from installations.models import Installation
from installations.overrides import locks_of, overrides_for
from installations.sensitive import markers_in
from wizard import secrets as secret_store
from wizard.forms import REVIEW, Node, Step, WizardForm, bind_step, finalize, form_of_version
from wizard.models import Draft

_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")


@dataclass
class Scope:
    """Who fills in what: the draft, its form, the vendor's locks, the URLs."""

    version: PackageVersion
    installation: Installation | None
    draft: Draft
    form: WizardForm
    locks: list[Lock] = field(default_factory=list)
    original: dict | None = None  # an edit: inputs.yaml at the draft's base

    @property
    def is_edit(self) -> bool:
        return self.installation is not None

    @property
    def locked(self) -> set[str]:
        return {lock.path for lock in self.locks}

    def url(self, name: str, *args) -> str:
        if self.is_edit:
            return reverse(f"wizard_edit_{name}", args=[self.installation.pk, *args])
        return reverse(f"wizard_new_{name}", args=[self.version.pk, *args])

    def step_url(self, slug: str) -> str:
        return self.url("step", slug)

    @property
    def secrets(self) -> dict[str, str]:
        """The draft's typed sensitive values `{path: value}` (decrypted)."""
        return secret_store.decrypt_map(self.draft.secrets)

    def add_secrets(self, values: dict[str, str]) -> None:
        if values:
            self.draft.secrets = secret_store.encrypt_map(self.secrets | values)

    @property
    def secret_keys(self) -> set[str]:
        """Fields that hold a sensitive value (typed in the draft, or a marker)."""
        data = self.draft.data
        typed = {k for k in self.secrets if get_value(data, k) is not MISSING}
        return typed | {path for path, _marker in markers_in(data)}

    def bind(
        self, step: Step, errors: dict | None = None, *, focus: str = "", open_key: str = ""
    ) -> list[Node]:
        """The step's fields bound to the draft, for a template."""
        return bind_step(
            self.form,
            step,
            self.draft.data,
            errors=errors,
            locked=self.locked,
            secrets=self.secret_keys,
            focus=focus,
            open_key=open_key,
        )

    def inputs(self) -> dict:
        """The inputs the draft stands for (locks enforced, hidden and empty fields left out)."""
        self.enforce_locks()
        return finalize(self.form, self.draft.data, original=self.original)

    def text_to_commit(self, inputs: dict) -> str | None:
        """Inputs applied from the YAML view: the text confirm commits, else None.

        The text as typed while the draft still holds exactly its values; after changes in
        the form, the text with those changes merged in (its comments and order kept).
        """
        text = self.draft.yaml_text
        if not text:
            return None
        try:
            values = parse_inputs_text(text)
        except InputsFileError:
            return None
        if json.loads(json.dumps(values, default=str)) == self.draft.data:
            return text
        return update_inputs_file(text.encode(), inputs).decode()

    def inputs_yaml(self, inputs: dict) -> str:
        """inputs.yaml as confirm would commit it (an edit keeps the comments and order of
        the file at the draft's base)."""
        text = self.text_to_commit(inputs)
        if text is not None:
            return text
        if self.is_edit:
            base = self.draft.base_sha
            original = repository(self.installation).read_file(INPUTS_FILE, base) if base else None
            return update_inputs_file(original, inputs).decode()
        return dump_inputs(inputs).decode()

    def enforce_locks(self) -> None:
        input_schema.enforce(self.locks, self.original, self.draft.data)

    def save(self, slug: str | None) -> None:
        """Save the draft, at step `slug` if given (creating it on its first POST)."""
        draft = self.draft
        if slug:
            draft.step = slug
            if slug not in draft.visited:
                draft.visited = [*draft.visited, slug]
        if draft.pk is not None:
            draft.save()
            return
        try:
            with transaction.atomic():
                draft.save()
        except IntegrityError:  # another tab created it first: this POST's values win
            mine = {"user": draft.user, "installation": draft.installation}
            if draft.installation_id is None:
                mine["package_version"] = draft.package_version
            existing = Draft.objects.get(**mine)
            draft.pk, draft.created_at = existing.pk, existing.created_at
            draft.save(force_update=True)


def _form(version: PackageVersion) -> WizardForm:
    return form_of_version(version)


def scope_for_new(request: HttpRequest, version_id: str) -> Scope:
    versions = installable_versions_for_user(request.user).defer("archive")
    version = get_object_or_404(versions, pk=version_id)
    overrides = overrides_for(version.package_id, None)
    draft = Draft.objects.filter(
        user=request.user, package_version=version, installation=None
    ).first()
    if draft is None:
        draft = Draft(user=request.user, package_version=version, installation=None, data={})
        for o in overrides:
            if o.has_value:
                set_value(draft.data, o.field, copy.deepcopy(o.value))
        draft.customer_workspace = target_workspaces_for_user(
            request.user, version.package.workspace
        ).first()
    return Scope(version, None, draft, _form(version), locks_of(overrides), None)


def scope_for_edit(request: HttpRequest, installation_id: str) -> Scope:
    inst = get_installation_for_user(request, installation_id, write=True)
    version = inst.package_version
    overrides = overrides_for(version.package_id, inst)
    draft = Draft.objects.filter(user=request.user, installation=inst).first()
    if draft is None:
        draft = _new_edit_draft(request, inst, version, overrides)
    original = _inputs_at(inst, draft.base_sha)
    return Scope(version, inst, draft, _form(version), locks_of(overrides), original)


def _new_edit_draft(request, inst: Installation, version, overrides) -> Draft:
    """An unsaved draft of inputs.yaml at the head — or, for a POST, at the commit the page
    was built from (`_base`), so a change made in between is a conflict at confirm."""
    base = _posted(request, "_base")
    if _SHA.match(base):
        inputs = _inputs_at(inst, base)
    else:
        try:
            inputs, head = current_inputs(inst)
        except InputsFileError as exc:
            if request.method == "GET":
                messages.warning(request, f"{exc}. The form starts from the package defaults.")
            inputs, head = {}, repository(inst).head()
        base = head or ""
    draft = Draft(
        user=request.user,
        package_version=version,
        installation=inst,
        data=copy.deepcopy(inputs),
        base_sha=base,
    )
    for o in overrides:
        if o.has_value and get_value(draft.data, o.field) is MISSING:
            set_value(draft.data, o.field, copy.deepcopy(o.value))
    return draft


def _posted(request: HttpRequest, name: str) -> str:
    """A POSTed value; "" for a GET, or a POST too large to read (answered elsewhere)."""
    if request.method != "POST":
        return ""
    try:
        return request.POST.get(name, "")
    except RequestDataTooBig:
        return ""


def _inputs_at(inst: Installation, sha: str) -> dict:
    """inputs.yaml at `sha` ({} for none, or one that does not parse)."""
    if not sha:
        return {}
    try:
        return parse_inputs(repository(inst).read_file(INPUTS_FILE, sha))
    except InputsFileError:
        return {}


def scope(request: HttpRequest, kwargs: dict) -> Scope:
    if "installation_id" in kwargs:
        return scope_for_edit(request, kwargs["installation_id"])
    return scope_for_new(request, kwargs["version_id"])


def resume_slug(scope_: Scope) -> str:
    """Where opening the wizard goes: the step the draft was on, else the first."""
    slugs = scope_.form.slugs
    if scope_.draft.step in [*slugs, REVIEW]:
        return scope_.draft.step
    return slugs[0] if slugs else REVIEW
