"""What a browser posts when a form's submit button is pressed: the form's fields as the
page renders them (text, hidden, checked boxes and radios, selected options, textareas),
for tests and bench/wizard.py that walk the wizard through Django's test client."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.depth = 0
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
            return
        owned = self.inside or a.get("form") == self.form_id
        if not owned or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [v for v, s in self._options if s] or [v for v, _ in self._options[:1]]
            if chosen:
                self.fields.append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def form_fields(html: str, form_id: str = "wz-form") -> list[tuple[str, str]]:
    parser = _Form(form_id)
    parser.feed(html)
    return parser.fields


def form_post(html: str, form_id: str = "wz-form", **extra) -> dict[str, list[str]]:
    """The form's fields as a dict of lists (Django's test client posts lists as repeats)."""
    out: dict[str, list[str]] = {}
    for name, value in form_fields(html, form_id):
        out.setdefault(name, []).append(value)
    for name, value in extra.items():
        out[name] = value if isinstance(value, list) else [value]
    return out


def typed(values: dict[str, str], **extra) -> dict:
    """What the wizard's form posts for `values` typed into its fields ({input path: text}):
    the fields it shows (`_fields`), each as `f.<path>`, and `extra` (`_action`, `_base`)."""
    return {
        "_fields": list(values),
        **{f"f.{path}": text for path, text in values.items()},
        **extra,
    }
