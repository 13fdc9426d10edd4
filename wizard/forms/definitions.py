"""The wizard's form of an input schema: field definitions grouped into steps.

- One `Step` per `x-ui.group` (ordered by the lowest `x-ui.order` in it); a top-level
  object or map without a group is a step of its own, other ungrouped fields share "General";
  an ungrouped object with more than `SPLIT_OVER` fields (a chart's `values`) is split
  into a step for its own fields and one per section. Fields by `x-ui.order`, then
  declaration order (a schema kept as PostgreSQL jsonb has lost its key order, so the
  order a generated package carries is `x-ui.order`, set at every depth). Fields marked
  `x-ui.advanced` are collapsed sections of their step (a chart's "Advanced" step).
  Built once per schema and cached (`form_for`).
- A field is marked required only when a person must type something: required by the
  schema and without a default (its own or in its object's default).
- Field keys are canonical input paths (`image.tag`, `hosts.0`, `config."grafana.ini"`);
  what the schema says about each field (kind, label, default, sensitivity) is read by
  `installations.input_schema`, as for every other door.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from installations import input_schema
from installations.input_schema import MISSING

GENERAL = "General"
REVIEW = "review"
ONE_PAGE = "one-page"
SPLIT_OVER = 40  # an ungrouped top-level object with more fields than this is split
_RESERVED = {REVIEW: "review-inputs", ONE_PAGE: "one-page-inputs"}


@dataclass
class FieldDef:
    name: str
    kind: str  # input_schema.kind: text textarea password integer number slider checkbox
    #            select radio union choice object array map yaml
    schema: dict
    label: str
    help: str = ""
    placeholder: str = ""
    required: bool = False  # marked required: a person must type something
    in_required: bool = False  # listed in its object's `required`
    default: Any = MISSING
    choices: list[tuple[str, str]] = field(default_factory=list)
    minimum: Any = None
    maximum: Any = None
    sensitive: bool = False
    controller: bool = False  # other fields' visibility depends on it
    order: float = float("inf")
    position: int = 0
    group: str = ""
    advanced: bool = False  # x-ui.advanced: a collapsed section of its step
    children: list[FieldDef] = field(default_factory=list)  # objects; maps: named entries
    item: FieldDef | None = None  # arrays: the item; maps: the value of any other key
    members: list[FieldDef] = field(default_factory=list)  # choice: the shapes to choose from
    conditions: list[tuple[dict, set, set]] = field(default_factory=list)  # (if, then, else)
    dependent: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_scalar(self) -> bool:
        return self.kind not in ("object", "array", "map", "choice", "yaml")

    @property
    def is_container(self) -> bool:
        """Read from a POST as one value (its rows, items or chosen member), not field by field."""
        return self.kind in ("array", "map", "choice")

    def child(self, name: str) -> FieldDef | None:
        for c in self.children:
            if c.name == name:
                return c
        return None


@dataclass
class Step:
    slug: str
    title: str
    entries: list[tuple[str, FieldDef]]  # (key, definition): top-level or one level down
    order: float = float("inf")
    position: float = 0

    @property
    def keys(self) -> set[str]:
        return {key for key, _ in self.entries}

    @property
    def fields(self) -> list[FieldDef]:
        return [d for _, d in self.entries]

    def owns(self, key: str) -> bool:
        return any(input_schema.is_within(key, k) for k, _ in self.entries)


@dataclass
class WizardForm:
    schema: dict
    root: FieldDef
    steps: list[Step]

    def step(self, slug: str) -> Step | None:
        return next((s for s in self.steps if s.slug == slug), None)

    def step_of(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.owns(key)), None)

    @property
    def slugs(self) -> list[str]:
        return [s.slug for s in self.steps]

    @property
    def all_steps(self) -> Step:
        """Every field on one page (the one-page mode): the steps' entries in order."""
        entries = [entry for s in self.steps for entry in s.entries]
        return Step(slug=ONE_PAGE, title="All inputs", entries=entries)

    def definition(self, key: str) -> FieldDef | None:
        """The definition of a field key (list indices skipped); None for no field."""
        try:
            segments = input_schema.segments(key)
        except input_schema.PathError:
            return None
        return _walk(self.root, list(segments))


def _walk(node: FieldDef | None, segments: list) -> FieldDef | None:
    for i, segment in enumerate(segments):
        if node is None:
            return None
        if node.kind == "choice":  # the first member that describes the rest of the path
            for member in node.members:
                found = _walk(member, segments[i:])
                if found is not None:
                    return found
            return None
        if node.kind == "array":
            node = node.item if isinstance(segment, int) else None
        elif node.kind == "map":
            named = node.child(segment) if isinstance(segment, str) else None
            node = named or node.item
        else:
            node = node.child(str(segment))
    return node


def _definition(
    name: str, prop: Any, *, required: bool, position: int, parent_default: Any = MISSING
) -> FieldDef:
    prop = prop if isinstance(prop, dict) else {}
    hints = input_schema.ui(prop)
    kind = input_schema.kind(prop)
    default = input_schema.default(prop)
    if default is MISSING and isinstance(parent_default, dict):
        inherited = parent_default.get(name, MISSING)
    else:
        inherited = default
    d = FieldDef(
        name=name,
        kind=kind,
        schema=prop,
        label=input_schema.label(name, prop),
        help=(prop.get("description") or "").strip(),
        placeholder=str(hints.get("placeholder") or ""),
        # Marked required only when a person must type something: no default of its own
        # or in its object's default.
        required=required and inherited in (MISSING, None),
        in_required=required,
        default=default,
        minimum=input_schema.minimum(prop),
        maximum=input_schema.maximum(prop),
        sensitive=kind == "password",
        order=input_schema.order(prop),
        position=position,
        group=str(hints.get("group") or ""),
        advanced=hints.get("advanced") is True,
    )
    if kind in ("select", "radio"):
        d.choices = [(json.dumps(v), input_schema.display(v)) for v in input_schema.choices(prop)]
    elif kind == "object":
        _object_children(d, prop, inherited)
    elif kind == "array":
        d.item = _definition("item", prop["items"], required=False, position=0)
        if d.item.kind == "yaml" and not d.item.schema:
            d.item.kind = "union"  # free-form items: typed text, numbers and booleans read
    elif kind == "map":
        if prop.get("properties"):
            _object_children(d, prop, inherited)  # the named entries
        extra = prop.get("additionalProperties")
        d.item = _definition(
            "value", extra if isinstance(extra, dict) else {}, required=False, position=0
        )
        if d.item.kind == "yaml" and not d.item.schema:
            d.item.kind = "union"  # free-form values: typed text, numbers and booleans read
    elif kind == "choice":
        for i, member in enumerate(input_schema.members(prop)):
            m = _definition(name, member, required=False, position=i)
            m.label = _member_label(member, m)
            d.members.append(m)
    return d


def _member_label(member: dict, d: FieldDef) -> str:
    hints = input_schema.ui(member)
    if hints.get("label") or member.get("title"):
        return input_schema.sentence_case(str(hints.get("label") or member["title"]))
    return {
        "map": "Keys and values",
        "object": "Fields",
        "array": "A list",
        "text": "Text",
        "integer": "A whole number",
        "number": "A number",
        "checkbox": "Yes or no",
    }.get(d.kind, "YAML")


def _object_children(d: FieldDef, prop: dict, default: Any = MISSING) -> None:
    required = set(prop.get("required") or [])
    children = [
        _definition(n, p, required=n in required, position=i, parent_default=default)
        for i, (n, p) in enumerate((prop.get("properties") or {}).items())
    ]
    d.children = sorted(children, key=lambda c: (c.order, c.position))
    branches = [prop, *[s for s in prop.get("allOf") or [] if isinstance(s, dict)]]
    for b in branches:
        if isinstance(b.get("if"), dict):
            then, other = b.get("then") or {}, b.get("else") or {}
            d.conditions.append((b["if"], _named(then), _named(other)))
            for name in list(b["if"].get("properties") or {}) + list(b["if"].get("required") or []):
                if c := d.child(name):
                    c.controller = True
        for key, names in (b.get("dependentRequired") or {}).items():
            d.dependent.setdefault(key, []).extend(names)
            if c := d.child(key):
                c.controller = True
    # A field required only under a condition is not required on its own.
    conditional = {n for _, t, e in d.conditions for n in t | e}
    conditional |= {n for names in d.dependent.values() for n in names}
    for c in d.children:
        if c.name in conditional:
            c.required = False


def _named(branch: Any) -> set[str]:
    if not isinstance(branch, dict):
        return set()
    return set(branch.get("properties") or {}) | set(branch.get("required") or [])


def build_form(schema: dict) -> WizardForm:
    schema = schema if isinstance(schema, dict) else {}
    root = FieldDef(name="", kind="object", schema=schema, label="Inputs")
    _object_children(root, schema)
    steps: dict[str, Step] = {}

    def add(title: str, key: str, f: FieldDef, order: float, position: float) -> None:
        step = steps.get(title)
        if step is None:
            step = steps[title] = Step(slug=_slug(title, steps), title=title, entries=[])
            step.position = position
        step.entries.append((key, f))
        step.order = min(step.order, order)
        step.position = min(step.position, position)

    for f in root.children:
        key = input_schema.join("", f.name)
        if f.group:
            add(f.group, key, f, f.order, f.position)
        elif f.kind == "object" and _leaves(f) > SPLIT_OVER:
            # A chart's `values`: its own fields, then a step per section (values.ingress, …).
            for i, c in enumerate(f.children):
                title = f"{f.label} › {c.label}" if c.kind == "object" else f.label
                add(title, input_schema.join(key, c.name), c, f.order, f.position + i / 1000)
        elif f.kind in ("object", "map"):
            add(f.label, key, f, f.order, f.position)
        else:
            add(GENERAL, key, f, f.order, f.position)
    ordered = sorted(steps.values(), key=lambda s: (s.order, s.position))
    return WizardForm(schema=schema, root=root, steps=ordered)


def _leaves(d: FieldDef) -> int:
    if d.kind == "object":
        return sum(_leaves(c) for c in d.children)
    return 1


def _slug(title: str, taken: dict) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "step"
    base = _RESERVED.get(base, base)
    slug, n = base, 2
    existing = {s.slug for s in taken.values()}
    while slug in existing:
        slug, n = f"{base}-{n}", n + 1
    return slug


_FORMS: dict[str, WizardForm] = {}
_FORMS_MAX = 64


def form_for(schema: dict, *, cache_key: str = "") -> WizardForm:
    """The form of a schema, built once per `cache_key` (a package version is immutable)."""
    key = cache_key or json.dumps(schema, sort_keys=True)
    form = _FORMS.get(key)
    if form is None:
        if len(_FORMS) >= _FORMS_MAX:
            _FORMS.pop(next(iter(_FORMS)))
        form = _FORMS[key] = build_form(schema)
    return form


def form_of_version(version) -> WizardForm:
    """The form of a package version's input schema."""
    return form_for(version.input_schema, cache_key=f"{version.pk}:{version.digest}")
