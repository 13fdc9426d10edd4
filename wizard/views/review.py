"""The review: the inputs per step, inputs.yaml as it will be committed, the manifests'
diff against what runs now; Confirm (server-side checks in `wizard.actions.confirm`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from installations.access import target_workspaces_for_user
from installations.actions import ConflictError, InstallationError
from installations.input_schema import ALL
from installations.inputs import InputsFileError, parse_inputs_text
from wizard import actions
from wizard.drafts import Scope
from wizard.forms import REVIEW, errors_for, summary
from wizard.views.common import error_list, page_context

NAME_FIELDS = ("name", "customer_workspace")


def review(request: HttpRequest, scope: Scope) -> HttpResponse:
    draft = scope.draft
    inputs = scope.inputs()
    text = scope.text_to_commit(inputs)
    if text is not None and text == draft.yaml_text:
        inputs = parse_inputs_text(text)  # committed as typed: review what git will hold
    errors = actions.problems(scope, inputs)
    conflict = ""
    name_errors: list[str] = []
    workspaces = None if scope.is_edit else target_workspaces_for_user(request.user)
    typed_name = draft.name
    rendered = None
    if request.method == "POST":
        if not scope.is_edit:
            typed_name = request.POST.get("name", draft.name)
            draft.name = typed_name.replace("\x00", "")[:100]  # the field's size; refused below
            ws_id = request.POST.get("customer_workspace", "")
            draft.customer_workspace = workspaces.filter(pk=ws_id).first() if ws_id else None
        scope.save(REVIEW)
        if request.POST.get("_action") == "confirm":
            rendered = actions.render_preview(scope, inputs)
            try:
                inst = actions.confirm(
                    scope,
                    user=request.user,
                    inputs=inputs,
                    text=text,
                    rendered=rendered,
                    name=typed_name,
                )
            except ConflictError as exc:
                conflict = str(exc)
                draft.base_sha = exc.actual or ""
                draft.save(update_fields=["base_sha", "updated_at"])
            except ValidationError as exc:
                errors = {}
                for key, msgs in exc.message_dict.items():
                    if key in NAME_FIELDS:
                        name_errors += msgs
                    else:
                        errors.setdefault(key, []).extend(msgs)
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
    rendered = rendered or actions.render_preview(scope, inputs)
    step_errors = []
    for s in scope.form.steps:
        mine = errors_for(errors, s)
        if mine:
            step_errors.append(
                ({"title": s.title, "url": scope.step_url(s.slug)}, error_list(scope, mine))
            )
    context = page_context(scope, REVIEW) | {
        "summary": summary(scope.form, inputs),
        "inputs_yaml": scope.inputs_yaml(inputs),
        "preview": rendered,
        "errors": errors,
        "step_errors": step_errors,
        "general_errors": errors.get(ALL, []),
        "conflict": conflict,
        "name_errors": name_errors,
        "typed_name": typed_name,
        "workspaces": workspaces,
        "draft": draft,
    }
    refused = (errors or name_errors or rendered.error) and request.method == "POST"
    status = 409 if conflict else 422 if refused else 200
    return render(request, "wizard/review.html", context, status=status)
