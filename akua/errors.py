"""The project's answers to requests Django refuses before a view runs.

A POST over `DATA_UPLOAD_MAX_MEMORY_SIZE` is refused while Django reads it (often in the
CSRF check, before the view): a bare 400 would lose the person's context. The view the
URL names may answer it instead, with a `too_big(request, **kwargs)` attribute (the
wizard's YAML view does: the form with a message); otherwise a page that says so.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.views import defaults


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    answer = getattr(match.func, "too_big", None) if match else None
    user = getattr(request, "user", None)
    if answer is not None and getattr(user, "is_authenticated", False):
        try:
            return answer(request, *match.args, **match.kwargs)
        except Http404:
            pass  # not theirs to see: the plain answer
    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return render(request, "413.html", {"limit": limit}, status=413)
