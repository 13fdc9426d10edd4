"""Edit inputs: the old address of the one-page editor, now the wizard's one-page mode."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from installations.access import get_installation_for_user


@require_GET
@login_required
def edit_inputs(request: HttpRequest, installation_id: str) -> HttpResponse:
    inst = get_installation_for_user(request, installation_id, write=True)
    return redirect("wizard_edit_page", inst.pk)
