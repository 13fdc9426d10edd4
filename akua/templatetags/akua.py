"""Template helpers every app's pages share: state badges, short commit shas,
tables and their header rows.

Built into every template (settings.TEMPLATES `builtins`); `{% load akua %}` names them too.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

# Which colour family a state is shown in; the word itself is always printed too.
_TONES = {
    "pending": "neutral",
    "queued": "neutral",
    "superseded": "neutral",
    "skipped": "neutral",
    "rendering": "busy",
    "running": "busy",
    "syncing": "busy",
    "healthy": "good",
    "deployed": "good",
    "rendered": "good",
    "degraded": "warn",
    "unknown": "warn",
    "failed": "bad",
    "deleted": "neutral",
}


@register.simple_tag
def state_badge(state: str, label: str = "") -> str:
    """`{% state_badge installation.state installation.get_state_display %}`."""
    state = state or "unknown"
    tone = _TONES.get(state, "neutral")
    return format_html(
        '<span class="badge badge-{}" data-state="{}">{}</span>',
        tone,
        state,
        label or state.capitalize(),
    )


@register.filter
def short_sha(sha: str | None) -> str:
    return (sha or "")[:8]


@register.simple_tag
def columns(*names: str, hidden: str = "") -> str:
    """`{% columns "Name" "State" hidden="Actions" %}`: a table's header row. `hidden` names
    a last column that only screen readers announce (its cells hold buttons)."""
    cells = format_html_join("", '<th scope="col">{}</th>', ((name,) for name in names))
    if hidden:
        cells += format_html('<th scope="col"><span class="visually-hidden">{}</span></th>', hidden)
    return format_html("<thead><tr>{}</tr></thead>", cells)


@register.tag("table")
def table(parser, token):
    """`{% table rows class="history" %}<caption>…<thead>…<tbody>…{% empty %}…{% endtable %}`:
    the page's table of `rows` in its scrolling frame (`class` adds to `table`), or, when
    there are no rows, what the optional `{% empty %}` branch says."""
    bits = token.split_contents()
    if len(bits) not in (2, 3) or (len(bits) == 3 and not bits[2].startswith("class=")):
        raise template.TemplateSyntaxError('Use {% table rows %} or {% table rows class="…" %}.')
    rows = parser.compile_filter(bits[1])
    extra = parser.compile_filter(bits[2].removeprefix("class=")) if len(bits) == 3 else None
    body = parser.parse(("empty", "endtable"))
    empty = None
    if parser.next_token().contents == "empty":
        empty = parser.parse(("endtable",))
        parser.delete_first_token()
    return _TableNode(rows, extra, body, empty)


class _TableNode(template.Node):
    def __init__(self, rows, extra, body, empty):
        self.rows, self.extra, self.body, self.empty = rows, extra, body, empty

    def render(self, context) -> str:
        if not self.rows.resolve(context):
            return self.empty.render(context) if self.empty else ""
        classes = " ".join(["table", *([self.extra.resolve(context)] if self.extra else [])])
        return format_html(
            '<div class="table-scroll">\n<table class="{}">{}</table>\n</div>',
            classes,
            self.body.render(context),
        )
