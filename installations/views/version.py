"""Update version: the installation page's form POSTs here; the view asks the action.

`upgrade_installation` makes one commit moving the vendor's files to the chosen version and
queues a render; the installation keeps running the old version until that render succeeds.
A refusal (a new required input without a default, a value the new version does not take,
someone else's commit in between) re-shows the installation page with the message, the
chosen version still selected and a field for each new required input, holding what was
typed — nothing is lost. A new required input nested in an object gets its field too,
named by its dotted path (`value.db.host`) and sent as a nested value (`{"db": {"host": …}}`).
Success goes back to the installation page, where the render shows live.
"""

from __future__ import annotations

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from catalog.models import PackageVersion
from installations.access import get_installation_for_user
from installations.actions import (
    ConflictError,
    InstallationError,
    current_inputs,
    head_version,
    upgrade_installation,
    upgrade_report,
)
from installations.forms import sentence_case
from installations.inputs import merge_inputs
from installations.sensitive import SensitiveInputError, set_path
from installations.views.installation import page_context

VALUE_PREFIX = "value."


@require_POST
@login_required
def update_version(request: HttpRequest, installation_id: str) -> HttpResponse:
    inst = get_installation_for_user(request, installation_id, write=True)
    package = inst.package_version.package
    target = PackageVersion.objects.filter(
        package_id=package.pk, pk=request.POST.get("version", "")
    ).first()
    if target is None:
        return _refused(request, inst, None, {}, f"Choose a published version of {package.name}.")
    typed = {
        k[len(VALUE_PREFIX) :]: v for k, v in request.POST.items() if k.startswith(VALUE_PREFIX)
    }
    if target.pk == inst.package_version_id and head_version(inst).pk == target.pk:
        return _refused(
            request,
            inst,
            target,
            typed,
            f"{inst.name} already runs {package.name} {target.version}.",
        )
    try:
        values = _nested(target.input_schema, typed)
    except SensitiveInputError as exc:
        return _refused(request, inst, target, typed, str(exc))
    try:
        upgrade_installation(inst, target, user=request.user, values=values or None)
    except (InstallationError, ConflictError) as exc:
        return _refused(request, inst, target, typed, str(exc))
    messages.success(
        request,
        f"Updating to {package.name} {target.version}: rendering now. "
        f"{inst.package_version.version} keeps running until the new version renders.",
    )
    return redirect("installation", inst.pk)


def _refused(request, inst, target, typed: dict, error: str) -> HttpResponse:
    """The installation page again, with the message and the form as it was sent."""
    fields = []
    if target is not None:
        schema = target.input_schema or {}
        inputs, _head = current_inputs(inst)
        try:
            inputs = merge_inputs(inputs, _nested(schema, typed))
        except SensitiveInputError:
            pass  # said in the message already
        names: list[str] = []
        for name in upgrade_report(target, inputs).missing:
            names += [n for n in _leaves(schema, name) if n not in names]
        names += [n for n, v in typed.items() if v.strip() and n not in names]  # kept as typed
        for name in names:
            spec = _spec_at(schema, name)
            ui = spec.get("x-ui") if isinstance(spec.get("x-ui"), dict) else {}
            kind = _kind(spec)
            fields.append(
                {
                    "name": name,
                    "label": ui.get("label")
                    or spec.get("title")
                    or sentence_case(name.replace(".", " ")),
                    "value": typed.get(name, ""),
                    "description": spec.get("description", ""),
                    "type": kind,
                    "choices": (
                        [str(c) for c in spec["enum"]]
                        if kind == "enum"
                        else ["true", "false"]
                        if kind == "boolean"
                        else []
                    ),
                }
            )
    context = page_context(
        request,
        inst,
        update_error=error,
        selected_version=target.pk if target else "",
        value_fields=fields,
    )
    return render(request, "installations/installation.html", context, status=400)


def _nested(schema: dict, typed: dict) -> dict:
    """The typed answers (`{"db.host": "x"}`) as nested values (`{"db": {"host": "x"}}`)."""
    values: dict = {}
    for path, text in typed.items():
        if text.strip():
            set_path(values, path, _coerce(schema, path, text))
    return values


def _spec_at(schema: dict, path: str) -> dict:
    """The schema of the input at a dotted path (`db.host`); {} when the schema has none."""
    spec = schema or {}
    for part in path.split("."):
        spec = (spec.get("properties") or {}).get(part)
        if not isinstance(spec, dict):
            return {}
    return spec


def _leaves(schema: dict, path: str) -> list[str]:
    """A missing input as the fields to ask for: itself, or for an object with properties
    the required inputs in it that have no default (`db` -> `db.host`)."""
    spec = _spec_at(schema, path)
    props = spec.get("properties") or {}
    if not props:
        return [path]
    out = []
    for name in spec.get("required") or []:
        child = props.get(name)
        if isinstance(child, dict) and "default" not in child:
            out += _leaves(schema, f"{path}.{name}")
    return out or [path]


def _kind(spec: dict) -> str:
    """string, integer, number, boolean or enum: what the field asks for."""
    if isinstance(spec.get("enum"), list) and spec["enum"]:
        return "enum"
    kind = spec.get("type", "string")
    if isinstance(kind, list):  # ["string", "null"]: the first that is not null
        kind = next((k for k in kind if k != "null"), "string")
    return kind if kind in ("string", "integer", "number", "boolean") else "string"


def _coerce(schema: dict, path: str, text: str):
    """A typed answer as the input's JSON type; left as text when it does not parse (the
    action then names it: "a valid value for …")."""
    spec = _spec_at(schema, path)
    kind = _kind(spec)
    if kind == "string" or (kind == "enum" and text in spec["enum"]):
        return text
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return text if value is None else value
