"""Bound nodes: a field with its value, errors and state, for the templates; the summary.

`html_id(key)` is the element id of a field: `f-` and the key with `.` as `--` and `_` as
`-_` (so `image.tag` is `f-image--tag`); any other character a key may hold in a quoted
segment is escaped (`-h` for "-", `-q` for '"', `-uXXXX-` otherwise), so ids stay unique
and usable in CSS selectors (`hx-target="#…"`) without escaping.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from installations.input_schema import MISSING, format_path, get_value, join, parent
from installations.input_schema import segments as segments_of
from wizard.forms.conditions import hidden_children, required_children
from wizard.forms.definitions import FieldDef, Step, WizardForm
from wizard.forms.posts import is_locked
from wizard.forms.values import value_of

_ESCAPES = {".": "--", "_": "-_", "-": "-h", '"': "-q"}


def html_id(key: str) -> str:
    out = []
    for char in key:
        if char.isascii() and char.isalnum():
            out.append(char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        else:
            out.append(f"-u{ord(char):x}-")
    return "f-" + "".join(out)


@dataclass
class Node:
    """A field with its value and errors, for the template."""

    d: FieldDef
    key: str
    value: Any
    errors: list[str] = field(default_factory=list)
    hidden: bool = False
    locked: bool = False
    marker: bool = True  # listed in _fields (fixed paths)
    has_secret: bool = False
    autofocus: bool = False
    index: int | None = None
    required_now: bool = False  # required by a condition that holds
    children: list[Node] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)
    parent_label: str = ""
    label_text: str = ""  # a label of its own (a field shown outside its object)

    @property
    def id(self) -> str:
        return html_id(self.key)

    @property
    def name(self) -> str:
        return "f." + self.key

    @property
    def label(self) -> str:
        if self.label_text:
            return self.label_text
        if self.index is not None and self.d.name == "item":
            return f"{self.parent_label} item {self.index + 1}"
        return self.d.label

    @property
    def kind(self) -> str:
        return self.d.kind

    @property
    def required(self) -> bool:
        return self.d.required or self.required_now

    @property
    def text(self) -> str:
        """The value as the input's text."""
        v = self.value
        if self.d.kind == "password" or v is MISSING or v is None:
            return ""
        if self.d.kind in ("select", "radio"):
            return json.dumps(v) if v != "" else ""
        if self.d.kind == "yaml" or isinstance(v, dict | list):
            if v == "":
                return ""
            if isinstance(v, str):
                return v
            return yaml.safe_dump(v, default_flow_style=False, sort_keys=False).rstrip("\n")
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)

    @property
    def checked(self) -> bool:
        return self.value is True

    @property
    def rows(self) -> list[tuple[int, str, str]]:
        """Map rows: (index, key, value text)."""
        if not isinstance(self.value, dict):
            return []
        return [
            (i, k, v if isinstance(v, str) else json.dumps(v))
            for i, (k, v) in enumerate(self.value.items())
        ]

    @property
    def choices(self) -> list[tuple[str, str, bool, int]]:
        current = self.text
        return [(v, label, v == current, i) for i, (v, label) in enumerate(self.d.choices)]

    @property
    def display(self) -> str:
        """Read-only text (locked fields, the summary)."""
        if self.d.sensitive:
            return "•••••• (set)" if self.value not in ("", None, MISSING) else "not set"
        v = self.value
        if v in ("", None, MISSING):
            return "—"
        return _readable(v)

    @property
    def feedback_only(self) -> bool:
        """Inputs that change while focused (sliders, choices) get only their messages back."""
        return self.d.kind in ("slider", "checkbox", "radio", "select") and not self.d.controller

    @property
    def step_value(self) -> str:
        return "1" if self.d.kind in ("integer", "slider") else "any"

    @property
    def described_by(self) -> str:
        ids = []
        if self.d.help:
            ids.append(self.id + "-help")
        if self.errors:
            ids.append(self.id + "-error")
        return " ".join(ids)

    def find(self, key: str) -> Node | None:
        if self.key == key:
            return self
        for n in [*self.children, *self.items]:
            if n.key == key or key.startswith(n.key + "."):
                found = n.find(key)
                if found:
                    return found
        return None


def bind_step(
    form: WizardForm,
    step: Step,
    data: dict,
    *,
    errors: dict[str, list[str]] | None = None,
    locked: set[str] = frozenset(),
    secrets: set[str] = frozenset(),
    focus: str = "",
) -> list[Node]:
    errors = errors or {}
    by_parent: dict[str, tuple[set[str], set[str]]] = {}  # parent key -> (hidden, required)
    nodes = []
    for key, f in step.entries:
        parent_key = parent(key)[0]
        if parent_key not in by_parent:
            owner = form.definition(parent_key) if parent_key else form.root
            obj = get_value(data, parent_key, {})
            by_parent[parent_key] = (
                (hidden_children(owner, obj), required_children(owner, obj))
                if owner
                else (set(), set())
            )
        hidden, required_now = by_parent[parent_key]
        node = _bind(
            f, key, data, errors, locked, secrets, hidden_here=f.name in hidden, focus=focus
        )
        node.required_now = f.name in required_now
        nodes.append(node)
    return nodes


def bind_keys(
    form: WizardForm,
    keys: list[str],
    data: dict,
    *,
    errors: dict[str, list[str]] | None = None,
    secrets: set[str] = frozenset(),
) -> list[Node]:
    """Nodes for some fields out of their steps (the version update asks for new inputs),
    each labelled with its objects' labels ("Db › Host"); unknown keys are left out."""
    nodes = []
    for key in dict.fromkeys(keys):
        d = form.definition(key)
        if d is None:
            continue
        node = _bind(d, key, data, errors or {}, frozenset(), secrets)
        node.label_text = " › ".join(_labels(form, key))
        nodes.append(node)
    return nodes


def _labels(form: WizardForm, key: str) -> list[str]:
    segments = segments_of(key)
    return [
        form.definition(format_path(segments[: i + 1])).label
        for i in range(len(segments))
        if not isinstance(segments[i], int)
    ]


def find_node(nodes: list[Node], key: str) -> Node | None:
    for n in nodes:
        found = n.find(key)
        if found:
            return found
    return None


def _bind(d, key, data, errors, locked, secrets, *, hidden_here=False, marker=True, focus=""):
    node = Node(
        d=d,
        key=key,
        value=value_of(d, data, key),
        errors=errors.get(key, []),
        hidden=hidden_here,
        locked=is_locked(key, locked),
        marker=marker,
        autofocus=key == focus,
        has_secret=key in secrets,
    )
    if hidden_here:
        return node
    if d.kind == "object":
        obj = node.value if isinstance(node.value, dict) else {}
        hidden = hidden_children(d, obj)
        required_now = required_children(d, obj)
        for c in d.children:
            child = _bind(
                c,
                join(key, c.name),
                data,
                errors,
                locked,
                secrets,
                hidden_here=c.name in hidden,
                marker=marker,
                focus=focus,
            )
            child.required_now = c.name in required_now
            node.children.append(child)
    elif d.kind == "array":
        items = node.value if isinstance(node.value, list) else []
        for i in range(len(items)):
            child = _bind(
                d.item, join(key, i), data, errors, locked, secrets, marker=False, focus=focus
            )
            child.index = i
            child.parent_label = d.label
            node.items.append(child)
        # errors of items shown with the items; errors of the list itself on it
    return node


def _readable(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list):
        return "; ".join(_readable(x) for x in v) if v else "(none)"
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_readable(x)}" for k, x in v.items()) if v else "(none)"
    return str(v)


def summary(form: WizardForm, inputs: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """(step title, [(label, value)]) for what will be written; sensitive values masked."""
    out = []
    for step in form.steps:
        rows: list[tuple[str, str]] = []
        for key, f in step.entries:
            _summarize(f, get_value(inputs, key), f.label, rows)
        if rows:
            out.append((step.title, rows))
    return out


def _summarize(d: FieldDef, value, label: str, rows: list) -> None:
    if value is MISSING:
        return
    if d.kind == "object" and isinstance(value, dict):
        for c in d.children:
            _summarize(c, value.get(c.name, MISSING), f"{label} › {c.label}", rows)
        return
    rows.append((label, Node(d=d, key="", value=value).display))
