"""The wizard's step navigation: a side list of the steps, and of the sections of a step
that has them (a chart's "Advanced" step holds dozens), each with how many of its values
are set and how many have an error — usable at 50 sections.

Built lazily (`Nav.steps` is read only by the templates that show it), so the htmx answers
that share the page's context do not compute it. Counts come from the inputs the draft
stands for (`Scope.inputs()`: only what a person or the vendor set) and from
`input_errors`, the check every door runs; errors are counted on steps the person has
already been to, so a fresh wizard does not open in red.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from installations.input_schema import ALL, MISSING, get_value, input_errors, is_within
from wizard.drafts import Scope
from wizard.forms import REVIEW, html_id


@dataclass
class NavSection:
    key: str
    label: str
    goto: str  # the `_goto` of a step form's button: "<slug>|<key>"
    url: str  # a plain link (pages without the step form)
    changed: int = 0
    errors: int = 0
    current: bool = False


@dataclass
class NavStep:
    slug: str
    title: str
    number: int
    url: str
    current: bool = False
    done: bool = False
    changed: int = 0
    errors: int = 0
    sections: list[NavSection] = field(default_factory=list)


def count_values(value: Any) -> int:
    """How many values `value` sets (a leaf, or an emptied list or map, counts one)."""
    if isinstance(value, dict) and value:
        return sum(count_values(v) for v in value.values())
    if isinstance(value, list) and value:
        return sum(count_values(v) for v in value)
    return 0 if value is MISSING else 1


def field_url(scope: Scope, slug: str, key: str, anchor: str = "") -> str:
    """A step's address that opens the section holding `key` and focuses it: an input
    gets `autofocus` (which scrolls to it; browsers skip autofocus when the address
    names a fragment), anything else is scrolled to by its fragment (`-wrap`)."""
    from urllib.parse import urlencode

    if not anchor:
        d = scope.form.definition(key)
        anchor = "" if d is not None and d.is_scalar else "wrap"
    fragment = f"#{html_id(key)}-{anchor}" if anchor else ""
    return f"{scope.step_url(slug)}?{urlencode({'field': key})}{fragment}"


class Nav:
    def __init__(self, scope: Scope, slug: str, *, open_key: str = "", errors=None):
        self.scope = scope
        self.slug = slug
        self.open_key = open_key
        self.page_errors = errors or {}

    @cached_property
    def steps(self) -> list[NavStep]:
        scope = self.scope
        inputs = scope.inputs()
        errors = {**input_errors(scope.form.schema, inputs), **self.page_errors}
        visited = set(scope.draft.visited) | {self.slug}
        slugs = scope.form.slugs
        index = slugs.index(self.slug) if self.slug in slugs else len(slugs)
        out = []
        for i, step in enumerate(scope.form.steps):
            show_errors = step.slug in visited
            nav = NavStep(
                slug=step.slug,
                title=step.title,
                number=i + 1,
                url=scope.step_url(step.slug),
                current=step.slug == self.slug,
                done=i < index or step.slug in scope.draft.visited,
            )
            for key, d in step.entries:
                changed = count_values(get_value(inputs, key))
                wrong = (
                    sum(1 for k in errors if k != ALL and is_within(k, key)) if show_errors else 0
                )
                nav.changed += changed
                nav.errors += wrong
                if d.advanced:
                    nav.sections.append(
                        NavSection(
                            key=key,
                            label=d.label,
                            goto=f"{step.slug}|{key}",
                            url=field_url(scope, step.slug, key, "section"),
                            changed=changed,
                            errors=wrong,
                            current=bool(self.open_key) and is_within(self.open_key, key),
                        )
                    )
            out.append(nav)
        out.append(
            NavStep(
                slug=REVIEW,
                title="Review",
                number=len(slugs) + 1,
                url=scope.step_url(REVIEW),
                current=self.slug == REVIEW,
                done=REVIEW in scope.draft.visited,
            )
        )
        return out
