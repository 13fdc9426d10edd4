"""What the apps' URL maps share."""

from __future__ import annotations

from django.urls import path


def decision_paths(view, name: str, decisions: tuple[str, ...]) -> list:
    """One POST target per decision (`<decision>/`, named `<name>_<decision>`), all answered
    by `view`, which is told the decision as its `decision` argument. Included below the
    route of the thing decided on."""
    return [
        path(f"{decision}/", view, {"decision": decision}, name=f"{name}_{decision}")
        for decision in decisions
    ]
