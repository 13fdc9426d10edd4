"""The one-page mode: every step's fields on one page, and Install / Save and render on it.

The same form code, draft, checks and confirm as the steps and the review (wizard.forms,
wizard.actions.confirm): only the layout differs. Without the review's diff, a confirm
here still renders first and is refused, with the message, when the inputs do not render.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from installations.access import target_workspaces_for_user
from installations.input_schema import ALL
from wizard import drafts
from wizard.forms import ONE_PAGE
from wizard.views.common import Confirmed, confirm, error_list, page_context, read_target
from wizard.views.steps import array_edit, read_post


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def one_page(request: HttpRequest, **kwargs) -> HttpResponse:
    scope = drafts.scope(request, kwargs)
    workspaces = (
        None
        if scope.is_edit
        else target_workspaces_for_user(request.user, scope.version.package.workspace)
    )
    typed_name = scope.draft.name
    outcome = Confirmed()
    if request.method == "POST":
        parsed = read_post(request, scope)
        if op := request.POST.get("_op", ""):
            return array_edit(request, scope, scope.form.all_steps, ONE_PAGE, op)
        if not scope.is_edit:
            typed_name = read_target(request, scope)
        scope.save(None)
        outcome.errors = dict(parsed.errors)
        if request.POST.get("_action") == "confirm" and not outcome.errors:
            outcome = confirm(request, scope, inputs=scope.inputs(), name=typed_name)
            if outcome.response:
                return outcome.response
    errors = outcome.errors
    refused = bool(errors or outcome.name_errors)
    context = page_context(scope, ONE_PAGE) | {
        "sections": [(step, scope.bind(step, errors)) for step in scope.form.steps],
        "refused": refused,
        "error_list": error_list(scope, errors),
        "general_errors": errors.get(ALL, []),
        "conflict": outcome.conflict,
        "name_errors": outcome.name_errors,
        "typed_name": typed_name,
        "workspaces": workspaces,
        "draft": scope.draft,
    }
    status = 409 if outcome.conflict else 422 if refused else 200
    return render(request, "wizard/one_page.html", context, status=status)
