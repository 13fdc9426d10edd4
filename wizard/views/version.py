"""Update version: the installation page's form POSTs here; the view asks the action.

`upgrade_installation` makes one commit moving the vendor's files to the chosen version and
queues a render; the installation keeps running the old version until that render succeeds.
A refusal (a new required input without a default, a value the new version does not take,
a vendor lock, someone else's commit in between) re-shows the installation page with the
message, the chosen version still selected and a field for each new required input,
holding what was typed — nothing is lost. The fields are the wizard's (wizard.forms: the
same widgets, conversion and names as every other form), so a nested input
(`db.host`) is asked for by its path and sent nested, and a sensitive one is stored
encrypted with the update, never committed.

Lives in wizard/ because it is built from the wizard's form code; the URL and the page
stay the installation's (`wizard/version.html` extends `installations/installation.html`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from akua.http import posted_id
from catalog.models import PackageVersion
from installations.access import get_installation_for_user
from installations.actions import (
    ConflictError,
    InstallationError,
    current_inputs,
    head_version,
    set_sensitive_inputs,
    upgrade_installation,
    upgrade_report,
)
from installations.input_schema import MISSING, get_value, required_fields
from installations.inputs import InputsFileError, merge_inputs
from installations.views.installation import page_context
from wizard.forms import apply_op, bind_keys, finalize, form_of_version, parse_post, posted_keys


@require_POST
@login_required
def update_version(request: HttpRequest, installation_id: str) -> HttpResponse:
    inst = get_installation_for_user(request, installation_id, write=True)
    package = inst.package_version.package
    target = PackageVersion.objects.filter(
        package_id=package.pk, pk=posted_id(request.POST.get("version", ""))
    ).first()
    if target is None:
        return _refused(request, inst, None, {}, f"Choose a published version of {package.name}.")
    form = form_of_version(target)
    typed: dict = {}
    parsed = parse_post(form, request.POST, typed)
    if op := request.POST.get("_op", ""):  # an item added to a list field: the form again
        apply_op(form, typed, op)
        return _refused(request, inst, target, typed, "", status=200)
    if target.pk == inst.package_version_id and head_version(inst).pk == target.pk:
        message = f"{inst.name} already runs {package.name} {target.version}."
        return _refused(request, inst, target, typed, message)
    if parsed.errors:
        return _refused(request, inst, target, typed, " ".join(sum(parsed.errors.values(), [])))
    values = finalize(form, typed)
    try:
        with transaction.atomic():  # a typed secret is stored only with the update
            set_sensitive_inputs(inst, parsed.secrets, user=request.user)
            upgrade_installation(inst, target, user=request.user, values=values or None)
    except (InstallationError, ConflictError, InputsFileError) as exc:
        return _refused(request, inst, target, typed, str(exc))
    messages.success(
        request,
        f"Updating to {package.name} {target.version}: rendering now. "
        f"{inst.package_version.version} keeps running until the new version renders.",
    )
    return redirect("installation", inst.pk)


def _refused(request, inst, target, typed: dict, error: str, *, status: int = 400) -> HttpResponse:
    """The installation page again, with the message and the form as it was sent."""
    nodes = []
    if target is not None:
        form = form_of_version(target)
        try:
            inputs, _head = current_inputs(inst)
        except InputsFileError:
            inputs = {}
        keys: list[str] = []
        for name in upgrade_report(target, merge_inputs(inputs, finalize(form, typed))).missing:
            keys += required_fields(target.input_schema, name)
        keys += [k for k in posted_keys(request.POST) if get_value(typed, k) not in ("", MISSING)]
        nodes = bind_keys(form, keys, typed)
    context = page_context(
        request,
        inst,
        update_error=error,
        selected_version=target.pk if target else "",
        value_nodes=nodes,
    )
    return render(request, "wizard/version.html", context, status=status)
