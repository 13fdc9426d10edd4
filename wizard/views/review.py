"""The review: the inputs per step, inputs.yaml as it will be committed, what changes in
the manifests (a table per kind, then one line per manifest whose diff htmx loads when it
is opened: `review_diff`); Confirm (server-side checks in `wizard.actions.confirm`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from installations.access import target_workspaces_for_user
from installations.input_schema import ALL
from installations.inputs import parse_inputs_text
from wizard import actions, drafts
from wizard.drafts import Scope
from wizard.forms import REVIEW, errors_for, summary
from wizard.navigation import field_url
from wizard.views.common import Confirmed, confirm, error_list, page_context, read_target


def _reviewed_inputs(scope: Scope) -> dict:
    inputs = scope.inputs()
    text = scope.text_to_commit(inputs)
    if text is not None and text == scope.draft.yaml_text:
        inputs = parse_inputs_text(text)  # committed as typed: review what git will hold
    return inputs


def review(request: HttpRequest, scope: Scope) -> HttpResponse:
    draft = scope.draft
    inputs = _reviewed_inputs(scope)
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
            items = [
                (anchor, label, message, field_url(scope, s.slug, key))
                for (anchor, label, message), key in zip(
                    error_list(scope, mine), [k for k in mine if k != ALL], strict=True
                )
            ]
            step_errors.append(({"title": s.title, "url": scope.step_url(s.slug)}, items))
    context = page_context(scope, REVIEW) | {
        "summary": summary(scope.form, inputs),
        "inputs_yaml": scope.inputs_yaml(inputs),
        "preview": rendered,
        "diff_url": scope.url("diff"),
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


@require_GET
@login_required
@vary_on_headers("HX-Request")
def review_diff(request: HttpRequest, **kwargs) -> HttpResponse:
    """One manifest's diff, loaded when the review's line for it is opened (htmx); without
    JavaScript, a page of its own. Renders nothing new: the review's render is cached."""
    scope = drafts.scope(request, kwargs)
    name = request.GET.get("file", "")[:300]
    diff = actions.manifest_diff(scope, _reviewed_inputs(scope), name)
    if diff is None:
        raise Http404("There is no such manifest in this render.")
    context = page_context(scope, REVIEW) | {"file": diff}
    template = "wizard/diff.html#diff" if request.htmx else "wizard/diff.html"
    return render(request, template, context)
