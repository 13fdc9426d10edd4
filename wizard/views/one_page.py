"""The one-page mode: every step's fields on one page, and Install / Save and render on it.

The same form code, draft, checks and confirm as the steps and the review (wizard.forms,
wizard.actions.confirm): only the layout differs. Without the review's diff, a confirm
here still renders first and is refused, with the message, when the inputs do not render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from installations.access import target_workspaces_for_user
from installations.actions import ConflictError, InstallationError
from installations.input_schema import ALL
from installations.inputs import InputsFileError
from wizard import actions, drafts
from wizard.forms import ONE_PAGE, bind_step
from wizard.views.common import error_list, page_context
from wizard.views.review import NAME_FIELDS
from wizard.views.steps import array_edit, read_post


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def one_page(request: HttpRequest, **kwargs) -> HttpResponse:
    scope = drafts.scope(request, kwargs)
    draft = scope.draft
    errors: dict[str, list[str]] = {}
    name_errors: list[str] = []
    conflict = ""
    workspaces = None if scope.is_edit else target_workspaces_for_user(request.user)
    typed_name = draft.name
    if request.method == "POST":
        parsed = read_post(request, scope)
        if op := request.POST.get("_op", ""):
            return array_edit(request, scope, scope.form.all_steps, ONE_PAGE, op)
        if not scope.is_edit:
            typed_name = request.POST.get("name", draft.name)
            draft.name = typed_name.replace("\x00", "")[:100]
            ws_id = request.POST.get("customer_workspace", "")
            draft.customer_workspace = workspaces.filter(pk=ws_id).first() if ws_id else None
        scope.save(None)
        errors = dict(parsed.errors)
        if request.POST.get("_action") == "confirm" and not errors:
            inputs = scope.inputs()
            try:
                inst = actions.confirm(
                    scope,
                    user=request.user,
                    inputs=inputs,
                    text=scope.text_to_commit(inputs),
                    name=typed_name,
                )
            except ConflictError as exc:
                conflict = str(exc)
                draft.base_sha = exc.actual or ""
                draft.save(update_fields=["base_sha", "updated_at"])
            except ValidationError as exc:
                for key, msgs in exc.message_dict.items():
                    target = name_errors if key in NAME_FIELDS else errors.setdefault(key, [])
                    target.extend(msgs)
            except (InstallationError, InputsFileError) as exc:
                errors.setdefault(ALL, []).append(str(exc))
            else:
                note = (
                    "Inputs saved. The new render is on its way."
                    if scope.is_edit
                    else f"{inst.name} is installed. Its first render is on its way."
                )
                messages.success(request, note)
                return redirect(reverse("installation", args=[inst.pk]))
    sections = [
        (
            step,
            bind_step(
                scope.form,
                step,
                draft.data,
                errors=errors,
                locked=scope.locked,
                secrets=scope.secret_keys,
            ),
        )
        for step in scope.form.steps
    ]
    refused = bool(errors or name_errors)
    context = page_context(scope, ONE_PAGE) | {
        "sections": sections,
        "refused": refused,
        "error_list": error_list(scope, errors),
        "general_errors": errors.get(ALL, []),
        "conflict": conflict,
        "name_errors": name_errors,
        "typed_name": typed_name,
        "workspaces": workspaces,
        "draft": draft,
    }
    status = 409 if conflict else 422 if refused else 200
    return render(request, "wizard/one_page.html", context, status=status)
