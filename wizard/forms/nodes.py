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

from installations.input_schema import MISSING, format_path, get_value, is_within, join, parent
from installations.input_schema import segments as segments_of
from wizard.forms.conditions import hidden_children, required_children
from wizard.forms.definitions import FieldDef, Step, WizardForm
from wizard.forms.posts import is_locked
from wizard.forms.values import chosen, default_value, row_order, value_of

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
class Row:
    """A map's row: its key (fixed for an entry the schema names) and its value's field."""

    key: str
    node: Node
    fixed: bool
    first: bool = False
    last: bool = False
    errors: int = 0  # fields of the row with an error
    open: bool = False  # a row of fields shown open: an error, the focus, or a person's own

    @property
    def key_id(self) -> str:
        return self.node.id + "-key"


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
    rows: list[Row] = field(default_factory=list)  # maps
    member: Node | None = None  # choice: the chosen member's field
    member_index: int = 0
    parent_label: str = ""
    label_text: str = ""  # a label of its own (a field shown outside its object)
    section: bool = False  # x-ui.advanced on a step: a collapsed section
    open: bool = False  # a section shown open (it holds an error or the field sought)
    in_container: bool = False  # inside a list, map or choice (read with it)
    in_choice: bool = False  # a choice's member: shares the choice's key
    changed: int = 0  # a section: values set (not the package's defaults)
    error_count: int = 0  # a section: fields with an error

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
        if self.d.kind == "union" and isinstance(self.value, dict | list):
            return "yaml"  # a free-form value holding a mapping or a list: typed as YAML
        return self.d.kind

    @property
    def yaml_marker(self) -> bool:
        """A free-form value shown as YAML: the POST says so (`y.<key>`)."""
        return self.kind == "yaml" and self.d.kind != "yaml"

    @property
    def one_line(self) -> bool:
        return "\n" not in self.text

    @property
    def required(self) -> bool:
        """Marked required: a person must type something (inside a list or a map, only
        while it is empty: the item or row may already hold its value)."""
        needed = self.d.required or self.required_now
        if needed and self.in_container:
            return self.value in (MISSING, None, "")
        return needed

    @property
    def text(self) -> str:
        """The value as the input's text."""
        v = self.value
        if self.d.kind == "password" or v is MISSING or v is None:
            return ""
        if self.d.kind in ("select", "radio"):
            return json.dumps(v) if v != "" else ""
        if self.kind == "yaml" or isinstance(v, dict | list):
            if v == "":
                return ""
            if isinstance(v, str):
                return v
            text = yaml.safe_dump(v, default_flow_style=False, sort_keys=False)
            return text.removesuffix("...\n").rstrip("\n")
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)

    @property
    def checked(self) -> bool:
        return self.value is True

    @property
    def member_choices(self) -> list[tuple[int, str, bool]]:
        return [(i, m.label, i == self.member_index) for i, m in enumerate(self.d.members)]

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
        """Inputs that change while focused (sliders, choices) get only their messages back;
        so do the fields of a choice's member (they share the choice's key)."""
        if self.in_choice:
            return True
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
        inner = [*self.children, *self.items, *(r.node for r in self.rows)]
        if self.member is not None:
            inner.append(self.member)
        for n in inner:
            if n.key == key or is_within(key, n.key):
                found = n.find(key)
                if found:
                    return found
        return None


@dataclass
class _Ctx:
    """What binding needs besides the field and its value."""

    errors: dict[str, list[str]]
    locked: set[str]
    secrets: set[str]
    focus: str = ""


def bind_step(
    form: WizardForm,
    step: Step,
    data: dict,
    *,
    errors: dict[str, list[str]] | None = None,
    locked: set[str] = frozenset(),
    secrets: set[str] = frozenset(),
    focus: str = "",
    open_key: str = "",
) -> list[Node]:
    """The step's fields bound to the draft. Each node's value is the draft's, else the one
    its parent shows (an object's default holds its fields' values), else its own default.
    `open_key`: a field sought (search, an error link) whose section is shown open."""
    ctx = _Ctx(errors or {}, locked, secrets, focus)
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
        node = _bind(f, key, value_of(f, data, key), ctx, hidden_here=f.name in hidden)
        node.required_now = f.name in required_now
        if f.advanced:
            node.section = True
            node.error_count = sum(1 for k in ctx.errors if is_within(k, key))
            sought = (open_key and is_within(open_key, key)) or (focus and is_within(focus, key))
            node.open = bool(node.error_count or sought)
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
    ctx = _Ctx(errors or {}, frozenset(), secrets)
    nodes = []
    for key in dict.fromkeys(keys):
        d = form.definition(key)
        if d is None:
            continue
        node = _bind(d, key, value_of(d, data, key), ctx)
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


def _bind(
    d: FieldDef,
    key: str,
    value: Any,
    ctx: _Ctx,
    *,
    hidden_here: bool = False,
    marker: bool = True,
) -> Node:
    node = Node(
        d=d,
        key=key,
        value=value,
        errors=ctx.errors.get(key, []),
        hidden=hidden_here,
        locked=is_locked(key, ctx.locked),
        marker=marker,
        autofocus=key == ctx.focus,
        has_secret=key in ctx.secrets,
        in_container=not marker,
    )
    if hidden_here:
        return node
    inner_marker = marker and not d.is_container
    if d.kind == "object":
        obj = value if isinstance(value, dict) else {}
        hidden = hidden_children(d, obj)
        required_now = required_children(d, obj)
        for c in d.children:
            child_value = obj[c.name] if c.name in obj else default_value(c)
            child = _bind(
                c,
                join(key, c.name),
                child_value,
                ctx,
                hidden_here=c.name in hidden,
                marker=inner_marker,
            )
            child.required_now = c.name in required_now
            node.children.append(child)
    elif d.kind == "array":
        items = value if isinstance(value, list) else []
        for i, item in enumerate(items):
            child = _bind(d.item, join(key, i), item, ctx, marker=False)
            child.index = i
            child.parent_label = d.label
            node.items.append(child)
    elif d.kind == "map":
        rows = row_order(d, value if isinstance(value, dict) else {})
        for i, (k, v) in enumerate(rows.items()):
            k = str(k)
            named = d.child(k)
            child = _bind(named or d.item, join(key, k), v, ctx, marker=False)
            if named is None:
                child.label_text = k
            row_key = join(key, k)
            errors = sum(1 for e in ctx.errors if is_within(e, row_key))
            sought = bool(ctx.focus) and is_within(ctx.focus, row_key)
            node.rows.append(
                Row(
                    key=k,
                    node=child,
                    fixed=named is not None,
                    first=i == 0,
                    last=i == len(rows) - 1,
                    errors=errors,
                    open=bool(errors) or sought or named is None,  # the chart's own collapsed
                )
            )
    elif d.kind == "choice" and d.members:
        node.member_index = chosen(d, value)
        member = _bind(d.members[node.member_index], key, value, ctx, marker=False)
        member.label_text = d.label
        member.errors = []  # the choice shows them
        member.in_choice = True
        node.member = member
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
    if d.kind == "map" and isinstance(value, dict) and value:
        for k, v in value.items():
            _summarize(d.child(str(k)) or d.item, v, f"{label} › {k}", rows)
        return
    rows.append((label, Node(d=d, key="", value=value).display))
