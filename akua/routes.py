"""What the apps' URL maps share."""

from __future__ import annotations

from django.urls import path, register_converter


class IdConverter:
    """An object's id in a URL (`inst_…`, `rnd_…`; any letters, digits, `_` and `-`, as the
    git URLs take): anything else (a NUL, `..`, a space) matches no URL, so it is a 404
    before any query (PostgreSQL refuses a NUL in a query: a 500 otherwise)."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IdConverter, "id")


def decision_paths(view, name: str, decisions: tuple[str, ...]) -> list:
    """One POST target per decision (`<decision>/`, named `<name>_<decision>`), all answered
    by `view`, which is told the decision as its `decision` argument. Included below the
    route of the thing decided on."""
    return [
        path(f"{decision}/", view, {"decision": decision}, name=f"{name}_{decision}")
        for decision in decisions
    ]
