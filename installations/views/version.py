"""Update version: the installation page's form POSTs here; the view asks the action.

`upgrade_installation` makes one commit moving the vendor's files to the chosen version and
queues a render; the installation keeps running the old version until that render succeeds.
A refusal (a new required input without a default, a value the new version does not take,
someone else's commit in between) re-shows the installation page with the message, the
chosen version still selected and a field for each new required input, holding what was
typed — nothing is lost. Success goes back to the installation page, where the render
shows live.
"""

from __future__ import annotations

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from catalog.models import PackageVersion
from installations.access import can_change_installation, get_installation_for_user
from installations.actions import (
    ConflictError,
    InstallationError,
    current_inputs,
    head_version,
    upgrade_installation,
    upgrade_report,
)
from installations.models import Installation
from installations.views.installation import page_context

VALUE_PREFIX = "value."


def _get_installation_for_user(request: HttpRequest, installation_id: str) -> Installation:
    inst = get_installation_for_user(request.user, installation_id)
    if not can_change_installation(request.user, inst):
        raise Http404("No such installation")
    return inst


@require_POST
@login_required
def update_version(request: HttpRequest, installation_id: str) -> HttpResponse:
    inst = _get_installation_for_user(request, installation_id)
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
    values = {k: _coerce(target.input_schema, k, v) for k, v in typed.items() if v.strip()}
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
        inputs, _head = current_inputs(inst)
        merged = {**inputs, **{k: v for k, v in typed.items() if v.strip()}}
        props = (target.input_schema or {}).get("properties") or {}
        names = list(upgrade_report(target, merged).missing)
        names += [n for n, v in typed.items() if v.strip() and n not in names]  # kept as typed
        for name in names:
            if "." in name:
                continue  # nested: set it in the inputs editor after the update
            spec = props.get(name) or {}
            fields.append(
                {
                    "name": name,
                    "value": typed.get(name, ""),
                    "description": spec.get("description", ""),
                    "type": spec.get("type", "string"),
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


def _coerce(schema: dict, name: str, text: str):
    """A typed answer as the input's JSON type; left as text when it does not parse (the
    action then names it: "a valid value for …")."""
    kind = (((schema or {}).get("properties") or {}).get(name) or {}).get("type", "string")
    if kind == "string":
        return text
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return text if value is None else value
