"""What every wizard page shows around its fields — the progress, the URLs, the messages —
and Confirm as the review and the one-page mode answer it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from akua.http import posted_id
from catalog.models import Workspace
from installations.actions import ConflictError, InstallationError
from installations.input_schema import ALL
from installations.inputs import InputsFileError
from wizard import actions
from wizard.drafts import Scope
from wizard.forms import ONE_PAGE, REVIEW, html_id
from wizard.navigation import Nav

NAME_FIELDS = ("name", "customer_workspace")


def page_context(scope: Scope, slug: str, *, open_key: str = "", errors=None) -> dict:
    """What every wizard page shows around its fields. The side list (`nav`) is computed
    only when a template shows it."""
    slugs = [*scope.form.slugs, REVIEW]
    index = slugs.index(slug) if slug in slugs else 0
    previous = slugs[index - 1] if index > 0 else None
    return {
        "scope": scope,
        "installation": scope.installation,
        "version": scope.version,
        "nav": Nav(scope, slug, open_key=open_key, errors=errors),
        "current_slug": slug,
        "step_number": index + 1,
        "step_count": len(slugs),
        "progress": round(100 * (index + 1) / len(slugs)),
        "previous_url": scope.step_url(previous) if previous else "",
        "step_url": scope.url("page") if slug == ONE_PAGE else scope.step_url(slug),
        "one_page_url": scope.url("page"),
        "validate_url": scope.url("validate"),
        "search_url": scope.url("search"),
        "yaml_url": scope.url("yaml"),
        "discard_url": scope.url("discard"),
        "locked_keys": scope.locked,
        "base_sha": scope.draft.base_sha,
    }


def label_of(scope: Scope, key: str) -> str:
    d = scope.form.definition(key) if key != ALL else None
    return d.label if d else key


def announcement(scope: Scope, errors: dict) -> str:
    """What the live region says after a field was checked ("Port: Enter an integer.")."""
    return " ".join(f"{label_of(scope, key)}: {' '.join(msgs)}" for key, msgs in errors.items())


def error_list(scope: Scope, errors: dict) -> list[tuple[str, str, str]]:
    """(anchor, label, message) for an error summary linking to each field."""
    return [
        (html_id(key), label_of(scope, key), " ".join(msgs))
        for key, msgs in errors.items()
        if key != ALL
    ]


@dataclass
class Confirmed:
    """What a Confirm (the review's, the one-page mode's) came to: the redirect when it was
    done, else what the page shows again."""

    response: HttpResponse | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    name_errors: list[str] = field(default_factory=list)
    conflict: str = ""


def read_target(request: HttpRequest, scope: Scope) -> str:
    """A new installation's name and workspace from the POST into the draft; the name as
    typed (the draft keeps what its field holds; the domain refuses the rest)."""
    draft = scope.draft
    typed = request.POST.get("name", draft.name)
    draft.name = typed.replace("\x00", "")[:100]
    ws_id = request.POST.get("customer_workspace", "")
    # One the page did not offer (another tenant's id) is kept for the domain to refuse
    # with its reason (installations.actions.create.workspace_problem).
    ws_id = posted_id(ws_id)
    draft.customer_workspace = Workspace.objects.filter(pk=ws_id).first() if ws_id else None
    return typed


def confirm(request: HttpRequest, scope: Scope, *, inputs: dict, name: str, rendered=None):
    """Confirm the draft (wizard.actions.confirm) and say how it went."""
    out = Confirmed()
    try:
        inst = actions.confirm(
            scope,
            user=request.user,
            inputs=inputs,
            text=scope.text_to_commit(inputs),
            rendered=rendered,
            name=name,
        )
    except ConflictError as exc:
        out.conflict = str(exc)
        scope.draft.base_sha = exc.actual or ""
        scope.draft.save(update_fields=["base_sha", "updated_at"])
    except ValidationError as exc:
        for key, msgs in exc.message_dict.items():
            target = out.name_errors if key in NAME_FIELDS else out.errors.setdefault(key, [])
            target.extend(msgs)
    except (InstallationError, InputsFileError) as exc:
        out.errors.setdefault(ALL, []).append(str(exc))
    else:
        note = (
            "Inputs saved. The new render is on its way."
            if scope.is_edit
            else f"{inst.name} is installed. Its first render is on its way."
        )
        messages.success(request, note)
        out.response = redirect(reverse("installation", args=[inst.pk]))
    return out
