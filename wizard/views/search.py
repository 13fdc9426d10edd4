"""The search box: find a field of any step by its label, path or help text.

GET only (it changes nothing): htmx gets the results list (`fields.html#search-results`),
a browser without JavaScript the page with the results. On a step page (`from=<slug>`)
the results are buttons of the step form, so jumping saves what was typed first; the
step then opens with the field's section open and the field focused (`?field=`).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from wizard import drafts
from wizard.forms import REVIEW
from wizard.forms.search import search
from wizard.navigation import field_url
from wizard.views.common import page_context

MAX_QUERY = 200


@require_GET
@login_required
@vary_on_headers("HX-Request")
def search_view(request: HttpRequest, **kwargs) -> HttpResponse:
    scope = drafts.scope(request, kwargs)
    query = request.GET.get("q", "")[:MAX_QUERY].strip()
    origin = request.GET.get("from", "")
    from_step = origin if scope.form.step(origin) is not None else ""
    hits = [
        {
            "key": hit.key,
            "trail": hit.trail,
            "step_slug": hit.step_slug,
            "step_title": hit.step_title,
            "url": field_url(scope, hit.step_slug, hit.key),
        }
        for hit in search(scope.form, query)
    ]
    context = {"query": query, "hits": hits, "from_step": from_step and request.htmx}
    if request.htmx:
        return render(request, "wizard/fields.html#search-results", context)
    context |= page_context(scope, from_step or REVIEW)
    return render(request, "wizard/search.html", context)
