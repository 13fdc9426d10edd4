"""The install wizard and inputs editor: steps, field validation, array edits, YAML view, review, confirm.

Two scopes share every view: a new installation of a package version
(`/wizard/new/<version>/…`) and an edit of an installation's inputs
(`/wizard/<installation>/…`). The draft (wizard.models.Draft) is saved on every POST —
a field left (htmx `change`), an array edit, back, next — so a closed tab resumes where
it was. Pages work as plain forms; htmx only swaps a field, an array or the step's fields
in place. Validation is `installations.inputs.input_errors` (the check a git push gets)
on `schema_form.finalize(...)` of the draft, filtered to the field or step at hand.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from catalog.models import PackageVersion
from installations.access import get_installation_for_user
from installations.actions import (
    ConflictError,
    InstallationError,
    create_installation,
    current_inputs,
    repository,
    set_sensitive_inputs,
    update_inputs,
    update_inputs_text,
)
from installations.inputs import (
    INPUTS_FILE,
    InputsFileError,
    dump_inputs,
    input_errors,
    parse_inputs,
    parse_inputs_text,
    replace_scalars,
    update_inputs_file,
)
from installations.models import Installation, SensitiveInput
from installations.sensitive import markers_in, plain_sensitive_values
from installations.views.new import _installable_versions_for_user, _target_workspaces_for_user
from wizard import secrets as secret_store
from wizard.models import Draft, FieldOverride
from wizard.preview import preview
from wizard.schema_form import (
    MISSING,
    WizardForm,
    apply_op,
    bind_step,
    delete_at,
    errors_for,
    field_errors,
    finalize,
    form_for,
    get_at,
    parse_post,
    set_at,
    summary,
)

REVIEW = "review"


# --------------------------------------------------------------------------- the scope


@dataclass
class Scope:
    """Who fills in what: the draft, its form, the vendor's locks, the URLs."""

    version: PackageVersion
    installation: Installation | None
    draft: Draft
    form: WizardForm
    locked: dict[str, object] = field(default_factory=dict)  # key -> forced value or MISSING
    original: dict | None = None  # an edit: inputs.yaml at the draft's base

    @property
    def is_edit(self) -> bool:
        return self.installation is not None

    def url(self, name: str, *args) -> str:
        if self.is_edit:
            return reverse(f"wizard_edit_{name}", args=[self.installation.pk, *args])
        return reverse(f"wizard_new_{name}", args=[self.version.pk, *args])

    @property
    def secret_keys(self) -> set[str]:
        data = self.draft.data
        keys = set(secret_store.decrypt_map(self.draft.secrets))
        return {k for k in keys if get_at(data, k) is not MISSING} | {k for k in _marker_keys(data)}

    def inputs(self) -> dict:
        self.enforce_locks()
        return finalize(self.form, self.draft.data, original=self.original)

    def enforce_locks(self) -> None:
        for key, value in self.locked.items():
            if value is MISSING:
                original = get_at(self.original or {}, key)
                if original is MISSING:
                    delete_at(self.draft.data, key)
                else:
                    set_at(self.draft.data, key, copy.deepcopy(original))
            else:
                set_at(self.draft.data, key, copy.deepcopy(value))


def _marker_keys(data, prefix: str = ""):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _marker_keys(v, f"{prefix}{k}.")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _marker_keys(v, f"{prefix}{i}.")
    elif secret_store.is_marker(data):
        yield prefix.rstrip(".")


def _overrides(version: PackageVersion, installation: Installation | None) -> list[FieldOverride]:
    """Package-wide overrides, then the installation's own (which win)."""
    rows = list(FieldOverride.objects.filter(package_id=version.package_id, installation=None))
    if installation is not None:
        rows += list(FieldOverride.objects.filter(installation=installation))
    by_field = {}
    for row in rows:
        by_field[row.field] = row
    return list(by_field.values())


def _scope_for_new(request: HttpRequest, version_id: str) -> Scope:
    versions = _installable_versions_for_user(request.user).defer("archive")
    version = get_object_or_404(versions, pk=version_id)
    overrides = _overrides(version, None)
    draft, created = Draft.objects.get_or_create(
        user=request.user, package_version=version, installation=None
    )
    if created:
        for o in overrides:
            if o.has_value:
                set_at(draft.data, o.field, copy.deepcopy(o.value))
        draft.customer_workspace = _target_workspaces_for_user(request.user).first()
        draft.save()
    locked = {o.field: (o.value if o.has_value else MISSING) for o in overrides if o.locked}
    return Scope(version, None, draft, _form(version), locked, None)


def _scope_for_edit(request: HttpRequest, installation_id: str) -> Scope:
    inst = get_installation_for_user(request, installation_id, write=True)
    version = inst.package_version
    overrides = _overrides(version, inst)
    draft = Draft.objects.filter(user=request.user, installation=inst).first()
    if draft is None:
        try:
            inputs, head = current_inputs(inst)
        except InputsFileError as exc:
            messages.warning(request, f"{exc}. The form starts from the package defaults.")
            inputs, head = {}, repository(inst).head()
        draft = Draft(
            user=request.user,
            package_version=version,
            installation=inst,
            data=copy.deepcopy(inputs),
            base_sha=head or "",
        )
        for o in overrides:
            if o.has_value and get_at(draft.data, o.field) is MISSING:
                set_at(draft.data, o.field, copy.deepcopy(o.value))
        draft.save()
    original = _inputs_at(inst, draft.base_sha)
    locked = {o.field: (o.value if o.has_value else MISSING) for o in overrides if o.locked}
    return Scope(version, inst, draft, _form(version), locked, original)


def _form(version: PackageVersion) -> WizardForm:
    return form_for(version.input_schema, cache_key=f"{version.pk}:{version.digest}")


def _inputs_at(inst: Installation, sha: str) -> dict:
    if not sha:
        return {}
    try:
        return parse_inputs(repository(inst).read_file(INPUTS_FILE, sha))
    except InputsFileError:
        return {}


def _scope(request: HttpRequest, kwargs: dict) -> Scope:
    if "installation_id" in kwargs:
        return _scope_for_edit(request, kwargs["installation_id"])
    return _scope_for_new(request, kwargs["version_id"])


# --------------------------------------------------------------------------- pages


@require_http_methods(["GET"])
@login_required
def start(request: HttpRequest, **kwargs) -> HttpResponse:
    """Resume the draft where it was left, or start at the first step."""
    scope = _scope(request, kwargs)
    slugs = [s.slug for s in scope.form.steps]
    slug = scope.draft.step if scope.draft.step in [*slugs, REVIEW] else None
    return redirect(scope.url("step", slug or (slugs[0] if slugs else REVIEW)))


@require_http_methods(["GET", "POST"])
@login_required
def step(request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
    scope = _scope(request, kwargs)
    if slug == REVIEW:
        return _review(request, scope)
    current = scope.form.step(slug)
    if current is None:
        raise Http404("No such step.")
    draft = scope.draft
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        parsed = _read_post(request, scope)
        op = request.POST.get("_op", "")
        action = request.POST.get("_action", "save")
        if op:
            array_key = apply_op(scope.form, draft.data, op, locked=set(scope.locked))
            _save(scope, slug)
            if request.htmx:
                focus = ""
                if op.startswith("add:"):
                    items = get_at(draft.data, array_key)
                    focus = f"{array_key}.{len(items) - 1}" if isinstance(items, list) else ""
                return _field_response(request, scope, current, array_key, {}, focus=focus)
            return redirect(scope.url("step", slug) + f"#{_anchor(array_key)}")
        all_errors = {**input_errors(scope.form.schema, scope.inputs()), **parsed.errors}
        errors = errors_for(all_errors, current)
        index = [s.slug for s in scope.form.steps].index(slug)
        if action == "back":
            _save(scope, scope.form.steps[index - 1].slug if index > 0 else slug)
            return redirect(scope.url("step", scope.form.steps[max(index - 1, 0)].slug))
        if action == "next" and not errors:
            nxt = scope.form.steps[index + 1].slug if index + 1 < len(scope.form.steps) else REVIEW
            _save(scope, nxt)
            return redirect(scope.url("step", nxt))
        if action == "goto" and request.POST.get("_goto"):
            target = request.POST["_goto"]
            _save(scope, target)
            return redirect(scope.url("step", target))
        _save(scope, slug)
    else:
        if draft.step != slug:
            _save(scope, slug)
    nodes = bind_step(
        scope.form,
        current,
        draft.data,
        errors=errors,
        locked=set(scope.locked),
        secrets=scope.secret_keys,
    )
    context = _context(scope, slug) | {
        "step": current,
        "nodes": nodes,
        "step_has_errors": bool(errors),
        "error_list": _error_list(scope, errors),
    }
    return render(request, "wizard/step.html", context, status=422 if errors else 200)


@require_POST
@login_required
def validate(request: HttpRequest, **kwargs) -> HttpResponse:
    """A field was left: save the draft, answer with that field (or the step) re-rendered."""
    scope = _scope(request, kwargs)
    key = request.POST.get("_field", "")
    slug = request.POST.get("_step", "")
    current = scope.form.step(slug) or scope.form.step_of(key)
    if current is None:
        raise Http404("No such step.")
    parsed = _read_post(request, scope)
    _save(scope, current.slug)
    scope.enforce_locks()
    mine = field_errors(scope.form, scope.draft.data, key, original=scope.original)
    mine.update({k: v for k, v in parsed.errors.items() if k == key or k.startswith(key + ".")})
    if request.POST.get("_scope") == "step":
        # A field others depend on: the step again, shown and hidden fields updated.
        nodes = bind_step(
            scope.form,
            current,
            scope.draft.data,
            errors=mine,
            locked=set(scope.locked),
            secrets=scope.secret_keys,
        )
        context = _context(scope, current.slug) | {
            "step": current,
            "nodes": nodes,
            "announce": _announcement(scope, mine),
        }
        return render(request, "wizard/_step_fields_response.html", context)
    template = (
        "wizard/_feedback_response.html" if request.POST.get("_scope") == "feedback" else None
    )
    return _field_response(request, scope, current, key, mine, template=template)


def _field_response(
    request, scope: Scope, current, key: str, errors: dict, *, focus: str = "", template=None
):
    nodes = bind_step(
        scope.form,
        current,
        scope.draft.data,
        errors=errors,
        locked=set(scope.locked),
        secrets=scope.secret_keys,
        focus=focus,
    )
    node = None
    for n in nodes:
        node = n.find(key)
        if node:
            break
    if node is None:
        raise Http404("No such field.")
    context = _context(scope, current.slug) | {
        "node": node,
        "step": current,
        "announce": _announcement(scope, errors),
        "oob": True,
    }
    return render(request, template or "wizard/_field_response.html", context)


def _announcement(scope: Scope, errors: dict) -> str:
    parts = []
    for key, messages_ in errors.items():
        d = scope.form.definition(key)
        label = d.label if d else key
        parts.append(f"{label}: {' '.join(messages_)}")
    return " ".join(parts)


def _error_list(scope: Scope, errors: dict) -> list[tuple[str, str, str]]:
    out = []
    for key, msgs in errors.items():
        d = scope.form.definition(key)
        out.append((_anchor(key), d.label if d else key, " ".join(msgs)))
    return out


def _anchor(key: str) -> str:
    return "f-" + key.replace(".", "--").replace("_", "-_")


def _read_post(request: HttpRequest, scope: Scope):
    parsed = parse_post(scope.form, request.POST, scope.draft.data, locked=set(scope.locked))
    if parsed.secrets:
        stored = secret_store.decrypt_map(scope.draft.secrets)
        stored.update(parsed.secrets)
        scope.draft.secrets = secret_store.encrypt_map(stored)
    scope.enforce_locks()
    return parsed


def _save(scope: Scope, slug: str) -> None:
    draft = scope.draft
    draft.step = slug
    if slug not in draft.visited:
        draft.visited = [*draft.visited, slug]
    draft.save()


def _context(scope: Scope, slug: str) -> dict:
    steps = []
    slugs = [s.slug for s in scope.form.steps] + [REVIEW]
    titles = [s.title for s in scope.form.steps] + ["Review"]
    index = slugs.index(slug) if slug in slugs else 0
    for i, (s, title) in enumerate(zip(slugs, titles, strict=True)):
        steps.append(
            {
                "slug": s,
                "title": title,
                "number": i + 1,
                "current": s == slug,
                "done": i < index or s in scope.draft.visited,
                "url": scope.url("step", s),
            }
        )
    previous = slugs[index - 1] if index > 0 else None
    return {
        "scope": scope,
        "installation": scope.installation,
        "version": scope.version,
        "steps": steps,
        "step_number": index + 1,
        "step_count": len(slugs),
        "progress": round(100 * (index + 1) / len(slugs)),
        "previous_url": scope.url("step", previous) if previous else "",
        "step_url": scope.url("step", slug),
        "validate_url": scope.url("validate"),
        "yaml_url": scope.url("yaml"),
        "discard_url": scope.url("discard"),
        "locked_keys": set(scope.locked),
    }


# --------------------------------------------------------------------------- review


def _review(request: HttpRequest, scope: Scope) -> HttpResponse:
    draft = scope.draft
    inputs = scope.inputs()
    text = _typed_text(scope, inputs)
    if text is not None and text == draft.yaml_text:
        inputs = parse_inputs_text(text)  # committed as typed: review what git will hold
    errors = input_errors(scope.form.schema, inputs)
    for key in _lock_changes(scope, inputs):
        errors.setdefault(key, []).append("Locked by the vendor; it cannot be changed.")
    conflict = ""
    name_errors: list[str] = []
    workspaces = None if scope.is_edit else _target_workspaces_for_user(request.user)
    if request.method == "POST":
        if not scope.is_edit:
            draft.name = request.POST.get("name", draft.name).strip()
            ws_id = request.POST.get("customer_workspace", "")
            draft.customer_workspace = workspaces.filter(pk=ws_id).first() if ws_id else None
        _save(scope, REVIEW)
        if request.POST.get("_action") == "confirm" and not errors:
            try:
                target = _confirm(request, scope, inputs, text)
            except ConflictError as exc:
                conflict = str(exc)
                draft.base_sha = exc.actual or ""
                draft.save(update_fields=["base_sha", "updated_at"])
            except ValidationError as exc:
                for key, msgs in exc.message_dict.items():
                    if key in ("name", "customer_workspace"):
                        name_errors += msgs
                    else:
                        errors.setdefault(key, []).extend(msgs)
            except (InstallationError, InputsFileError) as exc:
                errors.setdefault("__all__", []).append(str(exc))
            else:
                return redirect(target)
    elif draft.step != REVIEW:
        _save(scope, REVIEW)
    result = preview(
        inputs,
        version=scope.version,
        installation=scope.installation,
        secrets=secret_store.decrypt_map(draft.secrets),
    )
    step_errors = []
    for s in scope.form.steps:
        mine = errors_for(errors, s)
        if mine:
            step_errors.append(
                ({"title": s.title, "url": scope.url("step", s.slug)}, _error_list(scope, mine))
            )
    context = _context(scope, REVIEW) | {
        "summary": summary(scope.form, inputs),
        "inputs_yaml": text if text is not None else _yaml_for(scope, inputs),
        "preview": result,
        "errors": errors,
        "step_errors": step_errors,
        "general_errors": errors.get("__all__", []),
        "conflict": conflict,
        "name_errors": name_errors,
        "workspaces": workspaces,
        "draft": draft,
    }
    status = (
        409 if conflict else 422 if (errors or name_errors) and request.method == "POST" else 200
    )
    return render(request, "wizard/review.html", context, status=status)


def _yaml_for(scope: Scope, inputs: dict) -> str:
    if scope.is_edit:
        original = (
            repository(scope.installation).read_file(INPUTS_FILE, scope.draft.base_sha or None)
            if scope.draft.base_sha
            else None
        )
        return update_inputs_file(original, inputs).decode()
    return dump_inputs(inputs).decode()


def _typed_text(scope: Scope, inputs: dict) -> str | None:
    """Inputs applied from the YAML view: the text confirm commits, else None.

    The text as typed while the draft still holds exactly its values; after changes in the
    form, the text with those changes merged in (its comments and order kept).
    """
    text = scope.draft.yaml_text
    if not text:
        return None
    try:
        values = parse_inputs_text(text)
    except InputsFileError:
        return None
    if json.loads(json.dumps(values, default=str)) == scope.draft.data:
        return text
    return update_inputs_file(text.encode(), inputs).decode()


def _confirm(request: HttpRequest, scope: Scope, inputs: dict, text: str | None = None) -> str:
    draft = scope.draft
    stored = secret_store.decrypt_map(draft.secrets)
    keep = {k: v for k, v in stored.items() if get_at(inputs, k) == secret_store.marker(v)}
    with transaction.atomic():
        if scope.is_edit:
            inst = scope.installation
            # Stored first: the render update_inputs requests finds them behind the markers.
            set_sensitive_inputs(inst, keep, user=request.user)
            if text is not None:  # from the YAML view: the person's text, as written
                update_inputs_text(inst, text, user=request.user, base_sha=draft.base_sha)
            else:
                update_inputs(inst, inputs, user=request.user, base_sha=draft.base_sha)
            note = "Inputs saved. The new render is on its way."
        else:
            if draft.customer_workspace is None:
                raise ValidationError({"customer_workspace": ["Choose a workspace."]})
            inst = create_installation(
                package_version=scope.version,
                customer_workspace=draft.customer_workspace,
                name=draft.name,
                inputs=inputs,
                user=request.user,
                inputs_text=text,  # from the YAML view: the person's text, as written
            )
            # Same transaction: the first render runs on commit, after these are stored.
            set_sensitive_inputs(inst, keep, user=request.user)
            note = f"{inst.name} is installed. Its first render is on its way."
        draft.delete()
    messages.success(request, note)
    return reverse("installation", args=[inst.pk])


# --------------------------------------------------------------------------- YAML view, discard


@require_http_methods(["GET", "POST"])
@login_required
def yaml_view(request: HttpRequest, **kwargs) -> HttpResponse:
    """inputs.yaml as text; applying it replaces the draft's values, then the review.

    The text is kept as typed (`Draft.yaml_text`) and confirm commits it as written
    (`update_inputs_text` for an edit, `create_installation(inputs_text=)` for a new one). A plain value typed in a sensitive input is encrypted into the
    draft at once and only that scalar becomes its marker in the text.
    """
    scope = _scope(request, kwargs)
    error = ""
    field_errors_: list[tuple[str, str]] = []
    if request.method == "POST":
        text = request.POST.get("yaml", "").replace("\r\n", "\n")
        try:
            values, text, field_problems = _apply_text(scope, text)
        except InputsFileError as exc:
            error = str(exc)
        else:
            refused = _lock_changes(scope, values)
            if refused:
                error = "Locked by the vendor, cannot be changed: " + ", ".join(refused) + "."
            elif field_problems:
                error = "inputs.yaml has values the package does not accept:"
                field_errors_ = [
                    (_label(scope, key), " ".join(msgs)) for key, msgs in field_problems.items()
                ]
            else:
                scope.draft.data = json.loads(json.dumps(values, default=str))
                scope.draft.yaml_text = text
                _save(scope, REVIEW)
                return redirect(scope.url("step", REVIEW))
    else:
        inputs = scope.inputs()
        text = _typed_text(scope, inputs)
        if text is None:
            text = _yaml_for(scope, inputs)
    context = _context(scope, REVIEW) | {
        "yaml_text": text,
        "yaml_error": error,
        "yaml_field_errors": field_errors_,
    }
    return render(request, "wizard/yaml.html", context, status=422 if error else 200)


def _apply_text(scope: Scope, text: str) -> tuple[dict, str, dict[str, list[str]]]:
    """Parse typed inputs.yaml: (values, text, per-field problems); InputsFileError if not YAML.

    Plain sensitive values go encrypted into the draft and their markers into the text (the
    rest of it byte-for-byte). Problems: the schema's messages, and markers nobody set.
    """
    schema = scope.form.schema
    values = parse_inputs_text(text)
    plain = dict(plain_sensitive_values(schema, values))
    if plain:
        stored = secret_store.decrypt_map(scope.draft.secrets)
        stored.update(plain)
        scope.draft.secrets = secret_store.encrypt_map(stored)
        text = replace_scalars(text, {k: secret_store.marker(v) for k, v in plain.items()})
        values = parse_inputs_text(text)
    problems = input_errors(schema, values)
    known = {
        (k, secret_store.marker(v))
        for k, v in secret_store.decrypt_map(scope.draft.secrets).items()
    }
    found = [(p, m) for p, m in markers_in(values) if (p, m) not in known]
    if found and scope.is_edit:
        known |= set(
            SensitiveInput.objects.filter(
                installation=scope.installation, path__in=[p for p, _m in found]
            ).values_list("path", "marker")
        )
    for path, mark in found:
        if (path, mark) not in known:
            problems.setdefault(path, []).append(
                "Refers to a secret that is not set: type its value here or in the form."
            )
    for path, _value in plain_sensitive_values(schema, values):  # not rewritable in place
        problems.setdefault(path, []).append("Sensitive: give it as a plain one-line value.")
    return values, text, problems


def _label(scope: Scope, key: str) -> str:
    d = scope.form.definition(key) if key != "__all__" else None
    return f"{d.label} ({key})" if d else ("inputs.yaml" if key == "__all__" else key)


def _lock_changes(scope: Scope, values: dict) -> list[str]:
    refused = []
    for key, forced in scope.locked.items():
        expected = forced if forced is not MISSING else get_at(scope.original or {}, key)
        got = get_at(values, key)
        if got is not MISSING and got != expected:
            refused.append(key)
    return refused


@require_POST
@login_required
def discard(request: HttpRequest, **kwargs) -> HttpResponse:
    scope = _scope(request, kwargs)
    scope.draft.delete()
    messages.info(request, "Draft discarded.")
    if scope.is_edit:
        return redirect("installation", installation_id=scope.installation.pk)
    return redirect(scope.url("start"))
