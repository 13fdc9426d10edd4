"""Pages of git access: API tokens (create, shown once; revoke), an installation's Source
tab (clone URL, latest applied commit, change requests) and a change request (diff,
accept, reject)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akua.http import first_or_404
from catalog.models import Workspace
from installations.access import get_installation_for_user
from installations.actions import ConflictError
from installations.git.change_requests import (
    ChangeRequestError,
    accept_change_request,
    can_accept,
    change_request_diff,
    reject_change_request,
)
from installations.git.tokens import TokenError, create_token, revoke_token, tokens_for_user
from installations.models import ApiToken, ChangeRequest, Installation, Render


def _get_change_request_for_user(
    request: HttpRequest, installation_id: str, cr_id: str, *, write: bool = False
) -> ChangeRequest:
    inst = get_installation_for_user(request, installation_id, write=write)
    cr = first_or_404(
        ChangeRequest.objects.select_related("decided_by", "pushed_by").filter(
            installation=inst, pk=cr_id
        ),
        "change request",
    )
    cr.installation = inst
    return cr


def _get_token_for_user(request: HttpRequest, token_id: str) -> ApiToken:
    return first_or_404(tokens_for_user(request.user).filter(pk=token_id), "token")


def clone_url(installation: Installation) -> str:
    base = settings.SITE_URL.rstrip("/")
    return f"{base}/git/{installation.customer_workspace.slug}/{installation.pk}.git"


# -- tokens ----------------------------------------------------------------------------


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What it is for, e.g. “laptop” or “CI”.")
    workspace = forms.ModelChoiceField(queryset=Workspace.objects.none(), empty_label=None)
    read_only = forms.BooleanField(
        required=False, label="Read only", help_text="Can clone and fetch, not push."
    )
    expires_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label="Expires after (days)",
        help_text="Leave empty for a token that does not expire.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Workspace.objects.all() if user.is_superuser else user.workspaces.all()
        self.fields["workspace"].queryset = qs.order_by("name")


@require_http_methods(["GET", "POST"])
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_token = None
    if request.method == "POST":
        form = TokenForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                row, new_token = create_token(
                    request.user,
                    form.cleaned_data["workspace"],
                    name=form.cleaned_data["name"],
                    read_only=form.cleaned_data["read_only"],
                    expires_days=form.cleaned_data["expires_days"],
                )
            except TokenError as exc:
                form.add_error(None, str(exc))
            else:
                form = TokenForm(user=request.user)
    else:
        form = TokenForm(user=request.user)
    response = render(
        request,
        "tokens/tokens.html",
        {"form": form, "tokens": tokens_for_user(request.user), "new_token": new_token},
    )
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    token = _get_token_for_user(request, token_id)
    revoke_token(token)
    messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
    return redirect("tokens")


# -- source ----------------------------------------------------------------------------


@require_GET
@login_required
def source(request: HttpRequest, installation_id: str) -> HttpResponse:
    # A deleted installation's repository can still be cloned (read-only): the tab stays.
    inst = get_installation_for_user(request, installation_id)
    applied = inst.renders.filter(state=Render.State.DEPLOYED).order_by("-finished_at").first()
    return render(
        request,
        "installations/source.html",
        {
            "installation": inst,
            "clone_url": clone_url(inst),
            "applied": applied,
            "change_requests": inst.change_requests.select_related("decided_by"),
        },
    )


# -- change requests -------------------------------------------------------------------


@require_GET
@login_required
def change_request(request: HttpRequest, installation_id: str, cr_id: str) -> HttpResponse:
    cr = _get_change_request_for_user(request, installation_id, cr_id)
    diff = change_request_diff(cr) if cr.state == ChangeRequest.State.OPEN else None
    return render(
        request,
        "installations/change_request.html",
        {
            "installation": cr.installation,
            "cr": cr,
            "diff": diff,
            "can_decide": cr.state == ChangeRequest.State.OPEN
            and can_accept(request.user, cr.installation),
        },
    )


@require_POST
@login_required
def change_request_decide(
    request: HttpRequest, installation_id: str, cr_id: str, decision: str
) -> HttpResponse:
    cr = _get_change_request_for_user(request, installation_id, cr_id, write=True)
    reason = request.POST.get("reason", "").replace("\x00", "")  # PostgreSQL refuses NUL
    try:
        if decision == "accept":
            accept_change_request(cr, user=request.user, note=reason)
            messages.success(request, f"{cr.branch} accepted and merged into main; rendering.")
        else:
            reject_change_request(cr, user=request.user, reason=reason)
            messages.success(request, f"{cr.branch} rejected.")
    except (ChangeRequestError, ConflictError) as exc:
        messages.error(request, str(exc))
    return redirect("change_request", cr.installation.pk, cr.pk)
