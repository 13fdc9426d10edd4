"""Edit inputs: the schema form prefilled from the repository's inputs.yaml, guarded by its head.

The form carries the head commit it was filled in against (`base_sha`). When someone else
changed the installation in between (another edit, a git push, a restore), `update_inputs`
raises `ConflictError`: the page says so, keeps everything that was typed, and moves the
form onto the new head, so saving again knowingly applies the typed values on top.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from installations.access import get_installation_for_user
from installations.actions import (
    ConflictError,
    InstallationError,
    current_inputs,
    head_version,
    repository,
    update_inputs,
)
from installations.forms import SchemaForm
from installations.inputs import InputsFileError

INPUTS_PREFIX = "inputs"


@require_http_methods(["GET", "POST"])
@login_required
def edit_inputs(request: HttpRequest, installation_id: str) -> HttpResponse:
    inst = get_installation_for_user(request, installation_id, write=True)
    # The schema of the version at the head: after an update that did not render yet, the new one.
    schema = head_version(inst).input_schema
    conflict = ""
    if request.method == "POST":
        base_sha = request.POST.get("base_sha", "")
        form = SchemaForm(schema, request.POST, prefix=INPUTS_PREFIX)
        if form.is_valid():
            try:
                update_inputs(inst, form.cleaned_inputs, user=request.user, base_sha=base_sha)
            except ConflictError as exc:
                conflict = str(exc)
                base_sha = exc.actual or ""
            except ValidationError as exc:
                form.add_action_error(exc)
            except InstallationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Inputs saved. The new render is on its way.")
                return redirect("installation", installation_id=inst.pk)
    else:
        try:
            inputs, head = current_inputs(inst)
        except InputsFileError as exc:
            messages.warning(request, f"{exc}. The form shows the package defaults instead.")
            inputs, head = {}, repository(inst).head()
        base_sha = head or ""
        form = SchemaForm(schema, inputs=inputs, prefix=INPUTS_PREFIX)
    context = {"installation": inst, "form": form, "base_sha": base_sha, "conflict": conflict}
    return render(request, "installations/inputs.html", context, status=409 if conflict else 200)
