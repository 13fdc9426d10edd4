"""The YAML view: the inputs as inputs.yaml text; applying it replaces the draft's values.

The text is kept as typed (`Draft.yaml_text`) and confirm commits it as written
(`update_inputs_text` for an edit, `create_installation(inputs_text=)` for a new one). A
plain value typed in a sensitive input is encrypted into the draft at once and only that
scalar becomes its marker in the text. Applying goes to the review; nothing is committed
before Confirm.

The form posts with htmx when it can: a refusal then replaces only the message region,
so the text in the textarea stays exactly as typed. A text over the server's upload limit
(`DATA_UPLOAD_MAX_MEMORY_SIZE`) never reaches the view — Django refuses to read it — so
`too_big` answers for it through the project's 400 handler (akua.errors): the message in
the form (htmx: the text stays in the page), never a bare 400.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from installations.inputs import InputsFileError
from wizard import actions, drafts
from wizard.drafts import Scope
from wizard.forms import REVIEW
from wizard.views.common import page_context

TEMPLATE = "wizard/yaml.html"


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
def yaml_view(request: HttpRequest, **kwargs) -> HttpResponse:
    scope = drafts.scope(request, kwargs)
    if request.method == "GET":
        return _page(request, scope, scope.inputs_yaml(scope.inputs()))
    text = request.POST.get("yaml", "").replace("\r\n", "\n")
    had_secrets = scope.draft.secrets
    try:
        _values, text, problems = actions.take_text(scope, text)
    except InputsFileError as exc:
        return _page(request, scope, text, error=str(exc))
    if problems:
        if scope.draft.secrets != had_secrets:
            scope.save(None)  # the text now holds their markers: keep the values behind them
        listed = [(_label(scope, key), " ".join(msgs)) for key, msgs in problems.items()]
        error = "inputs.yaml has values the package does not accept:"
        return _page(request, scope, text, error=error, field_errors=listed)
    scope.save(REVIEW)
    if request.htmx:
        return HttpResponseClientRedirect(scope.step_url(REVIEW))
    return redirect(scope.step_url(REVIEW))


def too_big(request: HttpRequest, **kwargs) -> HttpResponse:
    """The answer to a text over the upload limit: the form with a message, 413."""
    scope = drafts.scope(request, kwargs)
    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    error = (
        f"The text is larger than {limit}, the most this server accepts in one form; nothing "
        "was applied. Shorten it (a large file belongs in the package, not in its inputs)."
    )
    return _page(request, scope, scope.inputs_yaml(scope.inputs()), error=error, status=413)


yaml_view.too_big = too_big  # found by akua.errors.bad_request


def _page(
    request, scope: Scope, text: str, *, error: str = "", field_errors=(), status: int = 0
) -> HttpResponse:
    context = page_context(scope, REVIEW) | {
        "yaml_text": text,
        "yaml_error": error,
        "yaml_field_errors": list(field_errors),
    }
    status = status or (422 if error else 200)
    template = f"{TEMPLATE}#feedback" if request.htmx and request.method == "POST" else TEMPLATE
    return render(request, template, context, status=status)


def _label(scope: Scope, key: str) -> str:
    d = scope.form.definition(key) if key != "__all__" else None
    return f"{d.label} ({key})" if d else ("inputs.yaml" if key == "__all__" else key)
