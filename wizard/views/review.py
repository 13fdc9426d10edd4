"""The review: the inputs per step, inputs.yaml as it will be committed, the manifests'
diff against what runs now; Confirm (server-side checks in `wizard.actions.confirm`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from installations.access import target_workspaces_for_user
from installations.input_schema import ALL
from installations.inputs import parse_inputs_text
from wizard import actions
from wizard.drafts import Scope
from wizard.forms import REVIEW, errors_for, summary
from wizard.views.common import Confirmed, confirm, error_list, page_context, read_target


def review(request: HttpRequest, scope: Scope) -> HttpResponse:
    draft = scope.draft
    inputs = scope.inputs()
    text = scope.text_to_commit(inputs)
    if text is not None and text == draft.yaml_text:
        inputs = parse_inputs_text(text)  # committed as typed: review what git will hold
    workspaces = (
        None
        if scope.is_edit
        else target_workspaces_for_user(request.user, scope.version.package.workspace)
    )
    typed_name = draft.name
    outcome = Confirmed(errors=actions.problems(scope, inputs))
    rendered = None
    if request.method == "POST":
        if not scope.is_edit:
            typed_name = read_target(request, scope)
        scope.save(REVIEW)
        if request.POST.get("_action") == "confirm":
            rendered = actions.render_preview(scope, inputs)
            outcome = confirm(request, scope, inputs=inputs, name=typed_name, rendered=rendered)
            if outcome.response:
                return outcome.response
    rendered = rendered or actions.render_preview(scope, inputs)
    errors = outcome.errors
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
        "conflict": outcome.conflict,
        "name_errors": outcome.name_errors,
        "typed_name": typed_name,
        "workspaces": workspaces,
        "draft": draft,
    }
    refused = (errors or outcome.name_errors or rendered.error) and request.method == "POST"
    status = 409 if outcome.conflict else 422 if refused else 200
    return render(request, "wizard/review.html", context, status=status)
