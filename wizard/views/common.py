"""What every wizard page shows around its fields: the progress, the URLs, the messages."""

from __future__ import annotations

from installations.input_schema import ALL
from wizard.drafts import Scope
from wizard.forms import ONE_PAGE, REVIEW, html_id


def page_context(scope: Scope, slug: str) -> dict:
    steps = []
    slugs = [*scope.form.slugs, REVIEW]
    titles = [s.title for s in scope.form.steps] + ["Review"]
    index = slugs.index(slug) if slug in slugs else 0
    for i, (s, title) in enumerate(zip(slugs, titles, strict=True)):
        steps.append(
            {
                "slug": s,
                "title": title,
                "number": i + 1,
                "current": s == slug,
                "done": i < index or s in scope.draft.visited,
                "url": scope.step_url(s),
            }
        )
    previous = slugs[index - 1] if index > 0 else None
    return {
        "scope": scope,
        "installation": scope.installation,
        "version": scope.version,
        "steps": steps,
        "step_number": index + 1,
        "step_count": len(slugs),
        "progress": round(100 * (index + 1) / len(slugs)),
        "previous_url": scope.step_url(previous) if previous else "",
        "step_url": scope.url("page") if slug == ONE_PAGE else scope.step_url(slug),
        "one_page_url": scope.url("page"),
        "validate_url": scope.url("validate"),
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
