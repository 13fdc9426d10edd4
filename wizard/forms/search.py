"""Finding a field across steps: by its label, its path or its help text.

The index is built once per form (a package version's form is cached), from every field
reachable through objects and the named entries of maps — the fields a chart's values
hold, however deep. Items of lists and rows a person added are not indexed: they are not
there until someone adds them. Matching is by words, each of which must appear in the
label trail ("Ports › Web › Exposed port"), the path or the help text; a match in the
label ranks first, then the path, then the help.
"""

from __future__ import annotations

from dataclasses import dataclass

from installations.input_schema import join
from wizard.forms.definitions import FieldDef, WizardForm
from wizard.markdown import plain_text

MAX_RESULTS = 20


@dataclass(frozen=True)
class Hit:
    key: str
    trail: str  # "Ports › Web › Exposed port"
    step_slug: str
    step_title: str
    section: str  # the top-level entry it is in (a section of the Advanced step)
    help: str  # plain text


def index(form: WizardForm) -> list[Hit]:
    found = getattr(form, "_search_index", None)
    if found is None:
        found = []
        for step in form.steps:
            for key, d in step.entries:
                _walk(d, key, [d.label], step.slug, step.title, key, found)
        form._search_index = found  # a form is immutable and cached: so is its index
    return found


def _walk(d: FieldDef, key: str, trail: list[str], slug, title, section, out) -> None:
    out.append(Hit(key, " › ".join(trail), slug, title, section, plain_text(d.help)[:300]))
    inner = d.children if d.kind in ("object", "map") else []
    for c in inner:
        _walk(c, join(key, c.name), [*trail, c.label], slug, title, section, out)


def search(form: WizardForm, query: str) -> list[Hit]:
    words = query.lower().split()[:10]
    if not words:
        return []
    ranked = []
    for position, hit in enumerate(index(form)):
        label, path, help_text = hit.trail.lower(), hit.key.lower(), hit.help.lower()
        if not all(w in label or w in path or w in help_text for w in words):
            continue
        last_label = hit.trail.rsplit(" › ", 1)[-1].lower()
        rank = (
            0
            if all(w in last_label for w in words)
            else 1
            if all(w in label for w in words)
            else 2
            if all(w in path for w in words)
            else 3
        )
        ranked.append((rank, position, hit))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [hit for _, _, hit in ranked[:MAX_RESULTS]]
