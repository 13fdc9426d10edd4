"""The wizard's steps: one page per step, the htmx answer to a field being left, discard.

Pages work as plain forms; htmx only swaps a field, an array or the step's fields in
place. Every POST saves the draft (wizard.drafts); a GET never writes. Validation is
`input_schema.input_errors` (the check a git push gets) on `finalize(...)` of the draft,
filtered to the field or step at hand.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from installations.input_schema import (
    PathError,
    canonical,
    get_value,
    input_errors,
    is_within,
    join,
)
from wizard import drafts
from wizard.drafts import Scope
from wizard.forms import (
    ONE_PAGE,
    REVIEW,
    apply_op,
    errors_for,
    field_errors,
    find_node,
    html_id,
    parse_post,
)
from wizard.navigation import field_url
from wizard.views.common import announcement, error_list, page_context
from wizard.views.review import review

FIELDS = "wizard/fields.html"


@require_GET
@login_required
def start(request: HttpRequest, **kwargs) -> HttpResponse:
    """Resume the draft where it was left, or start at the first step."""
    scope = drafts.scope(request, kwargs)
    return redirect(scope.step_url(drafts.resume_slug(scope)))


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def step(request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
    scope = drafts.scope(request, kwargs)
    if slug == REVIEW:
        return review(request, scope)
    current = scope.form.step(slug)
    if current is None:
        raise Http404("No such step.")
    errors: dict[str, list[str]] = {}
    problem = ""
    status = 200
    sought = _sought(request.GET.get("field", ""), current)
    if request.method == "POST":
        parsed = read_post(request, scope)
        if op := request.POST.get("_op", ""):
            return array_edit(request, scope, current, slug, op)
        errors = errors_for(
            {**input_errors(scope.form.schema, scope.inputs()), **parsed.errors}, current
        )
        slugs = scope.form.slugs
        index = slugs.index(slug)
        action = request.POST.get("_action", "save")
        goto, _, field_key = request.POST.get("_goto", "").partition("|")
        if goto:
            if goto in [*slugs, REVIEW, ONE_PAGE]:
                scope.save(goto)
                if goto == ONE_PAGE:
                    return redirect(scope.url("page"))
                target = scope.form.step(goto)
                if field_key and target is not None and _sought(field_key, target):
                    return redirect(field_url(scope, goto, _sought(field_key, target)))
                return redirect(scope.step_url(goto))
            problem = f"There is no step “{goto[:100]}”; you are still on {current.title}."
            status = 400
        elif action == "back":
            target = slugs[max(index - 1, 0)]
            scope.save(target)
            return redirect(scope.step_url(target))
        elif action == "next" and not errors:
            target = slugs[index + 1] if index + 1 < len(slugs) else REVIEW
            scope.save(target)
            return redirect(scope.step_url(target))
        scope.save(slug)
        if errors and status == 200:
            status = 422
    nodes = scope.bind(current, errors, focus=sought, open_key=sought)
    context = page_context(scope, slug, open_key=sought, errors=errors) | {
        "step": current,
        "nodes": nodes,
        "sections_count": sum(1 for n in nodes if n.section),
        "step_has_errors": bool(errors),
        "error_list": error_list(scope, errors),
        "problem": problem,
    }
    return render(request, "wizard/step.html", context, status=status)


def _sought(key: str, step) -> str:
    """A field key asked for in the address (`?field=`, a search result) that this step
    shows, canonical; "" otherwise."""
    try:
        key = canonical(key) if key else ""
    except PathError:
        return ""
    return key if key and step.owns(key) else ""


def array_edit(request, scope: Scope, current, slug: str, op: str) -> HttpResponse:
    """Add, remove or move an item of an array or a map; htmx gets the array back."""
    array_key = apply_op(scope.form, scope.draft.data, op, locked=scope.locked)
    if not array_key:
        return HttpResponseBadRequest("That is not an item of a list on this page.")
    scope.save(slug if slug != ONE_PAGE else None)
    if request.htmx:
        current = scope.form.step_of(array_key) or current
        focus = ""
        if op.startswith("add:"):
            items = get_value(scope.draft.data, array_key)
            if isinstance(items, list):
                focus = join(array_key, len(items) - 1)
            elif isinstance(items, dict) and items:
                focus = join(array_key, str(list(items)[-1]))  # the new row opens
        return field_response(request, scope, current, array_key, {}, focus=focus)
    target = scope.url("page") if slug == ONE_PAGE else scope.step_url(slug)
    return redirect(f"{target}#{html_id(array_key)}")


@require_POST
@login_required
def validate(request: HttpRequest, **kwargs) -> HttpResponse:
    """A field was left: save the draft, answer with that field (or the step) re-rendered."""
    scope = drafts.scope(request, kwargs)
    key = request.POST.get("_field", "")
    slug = request.POST.get("_step", "")
    current = scope.form.step(slug) or scope.form.step_of(key)
    if current is None:
        raise Http404("No such step.")
    parsed = read_post(request, scope)
    scope.save(current.slug)
    mine = field_errors(scope.form, scope.draft.data, key, original=scope.original)
    mine.update({k: v for k, v in parsed.errors.items() if is_within(k, key)})
    part = {"step": "step-fields-response", "feedback": "feedback-response"}.get(
        request.POST.get("_scope", ""), "field-response"
    )
    return field_response(request, scope, current, key, mine, part=part)


def field_response(
    request,
    scope: Scope,
    current,
    key: str,
    errors: dict,
    *,
    focus: str = "",
    part: str = "field-response",
) -> HttpResponse:
    """htmx's answer: the field (or its messages, or — a field others depend on — the
    step's fields, shown and hidden ones updated) and the live region's sentence."""
    nodes = scope.bind(current, errors, focus=focus)
    context = page_context(scope, current.slug) | {
        "step": current,
        "nodes": nodes,
        "announce": announcement(scope, errors),
        "oob": True,
    }
    if part != "step-fields-response":
        context["node"] = find_node(nodes, key)
        if context["node"] is None:
            raise Http404("No such field.")
    return render(request, f"{FIELDS}#{part}", context)


def read_post(request: HttpRequest, scope: Scope):
    """The POSTed fields into the draft (not saved yet); typed secrets encrypted into it."""
    parsed = parse_post(scope.form, request.POST, scope.draft.data, locked=scope.locked)
    scope.add_secrets(parsed.secrets)
    scope.enforce_locks()
    return parsed


@require_POST
@login_required
def discard(request: HttpRequest, **kwargs) -> HttpResponse:
    scope = drafts.scope(request, kwargs)
    if scope.draft.pk is not None:
        scope.draft.delete()
    messages.info(request, "Draft discarded.")
    if scope.is_edit:
        return redirect("installation", installation_id=scope.installation.pk)
    return redirect(scope.url("start"))
