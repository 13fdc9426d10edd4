"""The wizard's form from a JSON Schema: steps of field definitions, posted values in, bound nodes out.

- `build_form(schema)` -> `WizardForm`: one `Step` per `x-ui.group` (ordered by the lowest
  `x-ui.order` in it); a top-level object without a group is a step of its own (charts:
  `values`), other ungrouped fields share the step "General". Fields by `x-ui.order`, then
  declaration order. Built once per schema and cached (`form_for`).
- Field keys are dotted paths with list indices (`image.tag`, `hosts.0`, `extra.1.host`);
  HTML names are `f.<key>`. A field is read from a POST only when its key is listed in
  `_fields` (the fields that were on the page and enabled), so a hidden (condition false),
  locked or never-shown field keeps its value; arrays list their item indices in `i.<key>`
  in page order, so the order of the posted items is the order of the list.
- Conditions: `if`/`then`/`else` (on an object or in its `allOf`) and `dependentRequired`.
  A field named only in the branch not taken (its `properties` or `required`), or listed
  under a `dependentRequired` key that is absent, is hidden: rendered as an empty
  placeholder, left out of validation and of the inputs (`finalize`).
- `finalize(form, data)`: the inputs to validate and commit: hidden fields, empty strings
  and empty new list items dropped; what the render would use is filled in by
  `installations.inputs.with_defaults` during validation, as for a git push.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

import jsonschema
import yaml

from installations.forms import sentence_case

MISSING: Any = object()
GENERAL = "General"
RADIO_MAX = 4  # enums with at most this many choices are radio buttons


# --------------------------------------------------------------------------- definitions


@dataclass
class FieldDef:
    name: str
    kind: str  # text textarea password number integer slider checkbox select radio union
    #            object array map yaml
    schema: dict
    label: str
    help: str = ""
    placeholder: str = ""
    required: bool = False
    default: Any = MISSING
    choices: list[tuple[str, str]] = field(default_factory=list)
    minimum: Any = None
    maximum: Any = None
    sensitive: bool = False
    controller: bool = False  # other fields' visibility depends on it
    order: float = float("inf")
    position: int = 0
    group: str = ""
    children: list[FieldDef] = field(default_factory=list)
    item: FieldDef | None = None  # arrays: the item; maps: the value
    conditions: list[tuple[dict, set, set]] = field(default_factory=list)  # (if, then, else)
    dependent: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_scalar(self) -> bool:
        return self.kind not in ("object", "array", "map", "yaml")

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
    position: int = 0

    @property
    def keys(self) -> set[str]:
        return {key for key, _ in self.entries}

    @property
    def fields(self) -> list[FieldDef]:
        return [d for _, d in self.entries]

    def owns(self, key: str) -> bool:
        return any(key == k or key.startswith(k + ".") for k, _ in self.entries)


@dataclass
class WizardForm:
    schema: dict
    root: FieldDef
    steps: list[Step]

    def step(self, slug: str) -> Step | None:
        return next((s for s in self.steps if s.slug == slug), None)

    def step_of(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.owns(key)), None)

    def definition(self, key: str) -> FieldDef | None:
        """The definition of a field key (list indices skipped)."""
        node: FieldDef | None = self.root
        for part in key.split("."):
            if node is None:
                return None
            if node.kind in ("array", "map") and part.isdigit():
                node = node.item
            else:
                node = node.child(part)
        return node


def _ui(prop: dict) -> dict:
    ui = prop.get("x-ui") if isinstance(prop, dict) else None
    return ui if isinstance(ui, dict) else {}


def _types(prop: dict) -> list[str]:
    t = prop.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [x for x in t if x != "null"]
    return []


def _scalar_types(prop: dict) -> list[str] | None:
    """The scalar types a `oneOf`/`anyOf` of scalars accepts, else None."""
    members = prop.get("oneOf") or prop.get("anyOf")
    if not members:
        return None
    out: list[str] = []
    for m in members:
        if not isinstance(m, dict):
            return None
        if "enum" in m or "const" in m:
            out.append("string")
            continue
        ts = _types(m)
        if not ts or m.get("type") == "null":
            if m.get("type") == "null":
                continue
            return None
        if any(t not in ("string", "integer", "number", "boolean") for t in ts):
            return None
        out += ts
    return out or None


def _kind(prop: dict) -> str:
    ui = _ui(prop)
    if "enum" in prop or "const" in prop:
        values = prop.get("enum", [prop.get("const")])
        if ui.get("widget") == "select":
            return "select"
        if ui.get("widget") == "radio" or len([v for v in values if v is not None]) <= RADIO_MAX:
            return "radio"
        return "select"
    if _scalar_types(prop):
        return "union"
    types = _types(prop)
    t = types[0] if len(types) == 1 else None
    if t == "string":
        if ui.get("sensitive") or prop.get("writeOnly") or ui.get("widget") == "password":
            return "password"
        if ui.get("widget") == "textarea" or prop.get("contentMediaType"):
            return "textarea"
        return "text"
    if t in ("integer", "number"):
        lo = prop.get("minimum", ui.get("min"))
        hi = prop.get("maximum", ui.get("max"))
        if ui.get("widget") == "slider" and lo is not None and hi is not None:
            return "slider"
        return t
    if t == "boolean":
        return "checkbox"
    if t == "object":
        extra = prop.get("additionalProperties")
        if prop.get("properties"):
            return "object" if not extra else "yaml"
        if isinstance(extra, dict) and _kind(extra) in (
            "text",
            "integer",
            "number",
            "checkbox",
            "union",
        ):
            return "map"
        if extra is True or extra is None or extra == {}:
            return "map"
        return "yaml"
    if t == "array":
        items = prop.get("items")
        if isinstance(items, dict) and _kind(items) not in ("yaml", "array", "map"):
            return "array"
        return "yaml"
    return "yaml"


def _definition(name: str, prop: dict, *, required: bool, position: int) -> FieldDef:
    prop = prop if isinstance(prop, dict) else {}
    ui = _ui(prop)
    kind = _kind(prop)
    label = ui.get("label") or (prop.get("title") if kind not in ("object",) else "")
    d = FieldDef(
        name=name,
        kind=kind,
        schema=prop,
        label=label or sentence_case(name),
        help=(prop.get("description") or "").strip(),
        placeholder=str(ui.get("placeholder") or ""),
        required=required,
        default=prop.get("default", MISSING),
        minimum=prop.get("minimum", ui.get("min")),
        maximum=prop.get("maximum", ui.get("max")),
        sensitive=kind == "password",
        order=ui["order"] if isinstance(ui.get("order"), int | float) else float("inf"),
        position=position,
        group=str(ui.get("group") or ""),
    )
    if kind in ("select", "radio"):
        values = prop.get("enum", [prop.get("const")])
        d.choices = [(json.dumps(v), _display(v)) for v in values if v is not None]
    elif kind == "object":
        _object_children(d, prop)
    elif kind == "array":
        d.item = _definition("item", prop["items"], required=True, position=0)
    elif kind == "map":
        extra = prop.get("additionalProperties")
        d.item = _definition(
            "value", extra if isinstance(extra, dict) else {}, required=True, position=0
        )
        if d.item.kind == "yaml":
            d.item.kind = "union"  # free-form values: typed text, numbers and booleans read
    return d


def _object_children(d: FieldDef, prop: dict) -> None:
    required = set(prop.get("required") or [])
    children = [
        _definition(n, p, required=n in required, position=i)
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


def _named(branch: dict) -> set[str]:
    if not isinstance(branch, dict):
        return set()
    return set(branch.get("properties") or {}) | set(branch.get("required") or [])


def _display(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


SPLIT_OVER = 40  # an ungrouped top-level object with more fields than this is split


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
        if f.group:
            add(f.group, f.name, f, f.order, f.position)
        elif f.kind == "object" and _leaves(f) > SPLIT_OVER:
            # A chart's `values`: its own fields, then a step per section (values.ingress, …).
            for i, c in enumerate(f.children):
                title = f"{f.label} › {c.label}" if c.kind == "object" else f.label
                add(title, f"{f.name}.{c.name}", c, f.order, f.position + i / 1000)
        elif f.kind == "object":
            add(f.label, f.name, f, f.order, f.position)
        else:
            add(GENERAL, f.name, f, f.order, f.position)
    ordered = sorted(steps.values(), key=lambda s: (s.order, s.position))
    return WizardForm(schema=schema, root=root, steps=ordered)


def _leaves(d: FieldDef) -> int:
    if d.kind == "object":
        return sum(_leaves(c) for c in d.children)
    return 1


def _slug(title: str, taken: dict) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "step"
    if base == "review":
        base = "review-inputs"
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


def field_errors(form: WizardForm, data: dict, key: str, **finalize_kwargs) -> dict:
    """The errors about one field, checked against the nearest enclosing object only.

    The answer to a field being left must be quick on a big chart: `values.api.port` is
    checked with the schema of `values.api` and its values (with its defaults, its
    `if`/`then` and `dependentRequired`), not the whole form. Inside a list, the whole
    form is checked.
    """
    from installations.inputs import input_errors

    parts = key.split(".")
    node, depth = form.root, 0
    for part in parts[:-1]:
        child = node.child(part) if node.kind == "object" else None
        if child is None or child.kind != "object":
            break
        node, depth = child, depth + 1
    prefix = ".".join(parts[:depth])
    inputs = finalize(form, data, **finalize_kwargs)
    if depth:
        obj = get_at(inputs, prefix, {})
        errors = {
            f"{prefix}.{k}" if k != "__all__" else prefix: v
            for k, v in input_errors(node.schema, obj if isinstance(obj, dict) else {}).items()
        }
    else:
        errors = input_errors(form.schema, inputs)
    return {k: v for k, v in errors.items() if k == key or k.startswith(key + ".")}


# --------------------------------------------------------------------------- data helpers


def get_at(data: Any, key: str, default: Any = MISSING) -> Any:
    for part in key.split(".") if key else []:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return default
    return data


def set_at(data: dict, key: str, value: Any) -> None:
    parts = key.split(".")
    for part in parts[:-1]:
        if isinstance(data, list):
            data = data[int(part)]
        else:
            if not isinstance(data.get(part), dict | list):
                data[part] = {}
            data = data[part]
    if isinstance(data, list):
        data[int(parts[-1])] = value
    else:
        data[parts[-1]] = value


def delete_at(data: dict, key: str) -> None:
    parent_key, _, last = key.rpartition(".")
    parent = get_at(data, parent_key) if parent_key else data
    if isinstance(parent, dict):
        parent.pop(last, None)


def default_value(d: FieldDef) -> Any:
    if d.default is not MISSING:
        return copy.deepcopy(d.default)
    if d.kind == "object":
        return {}
    if d.kind == "array":
        return []
    if d.kind == "map":
        return {}
    if d.kind == "checkbox":
        return False
    return ""


def value_of(d: FieldDef, data: Any, key: str) -> Any:
    value = get_at(data, key)
    return default_value(d) if value is MISSING else value


# --------------------------------------------------------------------------- conditions


@functools.lru_cache(maxsize=512)
def _validator(text: str):
    schema = json.loads(text)
    return jsonschema.Draft202012Validator(schema)


def hidden_children(d: FieldDef, obj: Any) -> set[str]:
    """Names of `d`'s children whose condition is false for the object's values `obj`."""
    if not d.conditions and not d.dependent:
        return set()
    values = _with_child_defaults(d, obj if isinstance(obj, dict) else {})
    hidden: set[str] = set()
    shown: set[str] = set()
    for if_schema, then, other in d.conditions:
        holds = _validator(json.dumps(if_schema, sort_keys=True)).is_valid(values)
        taken, not_taken = (then, other) if holds else (other, then)
        hidden |= not_taken
        shown |= taken
    for key, names in d.dependent.items():
        if key not in values:
            hidden |= set(names)
    return hidden - shown


def required_children(d: FieldDef, obj: Any) -> set[str]:
    """Names of `d`'s children required right now by a condition that holds."""
    if not d.conditions and not d.dependent:
        return set()
    values = _with_child_defaults(d, obj if isinstance(obj, dict) else {})
    out: set[str] = set()
    for b in [d.schema, *[x for x in d.schema.get("allOf") or [] if isinstance(x, dict)]]:
        if isinstance(b.get("if"), dict):
            holds = _validator(json.dumps(b["if"], sort_keys=True)).is_valid(values)
            out |= set((b.get("then" if holds else "else") or {}).get("required") or [])
    for key, names in d.dependent.items():
        if key in values:
            out |= set(names)
    return out


def _with_child_defaults(d: FieldDef, obj: dict) -> dict:
    out = {k: v for k, v in obj.items() if v != "" and v is not None}
    for c in d.children:
        if c.name not in out and c.default is not MISSING:
            out[c.name] = c.default
    return out


# --------------------------------------------------------------------------- reading a POST


class ParseResult:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}  # conversion errors ("not valid YAML")
        self.secrets: dict[str, str] = {}  # key -> plain value typed in a password field


def parse_post(
    form: WizardForm, post, data: dict, *, locked: set[str] = frozenset()
) -> ParseResult:
    """Update `data` in place with the fields listed in `_fields` of the POST."""
    result = ParseResult()
    keys = post.getlist("_fields")
    for key in dict.fromkeys(keys):
        if key in locked or any(key.startswith(lk + ".") for lk in locked):
            continue
        d = form.definition(key)
        if d is None or d.kind == "object":
            continue
        value = _read(d, key, post, result, data)
        if value is MISSING:
            continue
        set_at(data, key, value)
    return result


def _read(d: FieldDef, key: str, post, result: ParseResult, data: dict) -> Any:
    """The value of field `key` in the POST; MISSING when it says nothing (keep the old one).

    Inside lists, `key` carries the item's index as it was rendered, so `data` at `key` is
    the item's previous value (a password left empty keeps it).
    """
    name = "f." + key
    if d.kind == "checkbox":
        return name in post
    if d.kind == "object":
        previous = get_at(data, key)
        out = {}
        for c in d.children:
            value = _read(c, f"{key}.{c.name}", post, result, data)
            if value is MISSING and isinstance(previous, dict) and c.name in previous:
                value = previous[c.name]
            if value is not MISSING:
                out[c.name] = value
        return out
    if d.kind == "array":
        items = []
        for index in post.getlist("i." + key):
            if not index.isdigit():
                continue
            value = _read(d.item, f"{key}.{index}", post, result, data)
            if value is MISSING:
                previous = get_at(data, f"{key}.{index}")
                value = default_value(d.item) if previous is MISSING else previous
            items.append(value)
        return items
    if d.kind == "map":
        out = {}
        for index in post.getlist("i." + key):
            k = post.get(f"f.{key}.{index}.key", "").strip()
            if not k:
                continue
            out[k] = convert(d.item, post.get(f"f.{key}.{index}.value", ""))
        return out
    if name not in post:
        return MISSING
    raw = post.get(name, "").replace("\r\n", "\n")
    if d.kind == "password":
        if raw == "":
            return MISSING  # empty: keep what is set
        from wizard.secrets import marker

        result.secrets[key] = raw
        return marker(raw)
    if d.kind == "yaml":
        if not raw.strip():
            return ""
        try:
            return yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark else ""
            result.errors[key] = [f"This is not valid YAML{where}."]
            return raw
    return convert(d, raw)


_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def convert(d: FieldDef, raw: str) -> Any:
    """Typed text -> the value; text that does not convert stays text (validation says why)."""
    if d.kind in ("select", "radio"):
        if raw == "":
            return ""
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    if d.kind in ("integer", "slider", "number"):
        text = raw.strip()
        if text == "":
            return ""
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            number = float(text)
            return int(number) if number.is_integer() and d.kind != "number" else number
        return raw
    if d.kind == "checkbox":
        return raw not in ("", "false", "off", "0")
    if d.kind in ("text", "textarea", "password"):
        return raw.replace("\r\n", "\n")
    if d.kind == "union":
        types = (
            _scalar_types(d.schema)
            or _types(d.schema)
            or ["string", "integer", "number", "boolean"]
        )
        text = raw.strip()
        if "integer" in types and _INT.match(text):
            return int(text)
        if "number" in types and _FLOAT.match(text):
            return float(text)
        if "boolean" in types and text in ("true", "false"):
            return text == "true"
        return raw
    return raw


# --------------------------------------------------------------------------- array operations


def apply_op(form: WizardForm, data: dict, op: str, *, locked: set[str] = frozenset()) -> str:
    """`add:<array>`, `remove:<item>`, `up:<item>`, `down:<item>`; returns the array's key."""
    verb, _, key = op.partition(":")
    array_key = key if verb == "add" else key.rpartition(".")[0]
    if not array_key or array_key.split(".")[0] in locked or array_key in locked:
        return array_key
    d = form.definition(array_key)
    if d is None or d.kind not in ("array", "map"):
        return array_key
    if d.kind == "map":
        current = get_at(data, array_key)
        current = dict(current) if isinstance(current, dict) else {}
        if verb == "add":
            n = 1
            while f"key{n}" in current:
                n += 1
            current[f"key{n}"] = ""
        elif verb == "remove":
            index = int(key.rpartition(".")[2])
            keys = list(current)
            if index < len(keys):
                current.pop(keys[index])
        set_at(data, array_key, current)
        return array_key
    items = get_at(data, array_key)
    items = list(items) if isinstance(items, list) else list(value_of(d, data, array_key) or [])
    if verb == "add":
        items.append(default_value(d.item))
    else:
        index = int(key.rpartition(".")[2])
        if 0 <= index < len(items):
            if verb == "remove":
                items.pop(index)
            elif verb == "up" and index > 0:
                items[index - 1], items[index] = items[index], items[index - 1]
            elif verb == "down" and index < len(items) - 1:
                items[index + 1], items[index] = items[index], items[index + 1]
    set_at(data, array_key, items)
    return array_key


# --------------------------------------------------------------------------- finalize


def finalize(form: WizardForm, data: dict, *, original: dict | None = None) -> dict:
    """The inputs to validate and write: hidden fields and empty values left out.

    `original` (an edit): keys that were not in inputs.yaml and still hold the schema's
    default stay out, so an edit writes only what a person chose.
    """
    return _finalize_object(form.root, data if isinstance(data, dict) else {}, original)


def _finalize_object(d: FieldDef, obj: dict, original: dict | None) -> dict:
    hidden = hidden_children(d, obj)
    out: dict = {}
    known = {c.name for c in d.children}
    edit = original is not None
    for c in d.children:
        if c.name in hidden or c.name not in obj:
            continue
        was_there = edit and c.name in original
        child_original = (original.get(c.name) if was_there else {}) if edit else None
        value = _finalize_value(c, obj[c.name], child_original)
        if value is MISSING:
            continue
        if (
            edit
            and not was_there
            and (value == {} or (c.default is not MISSING and value == c.default))
        ):
            continue  # an edit writes what a person chose, not every default on the page
        out[c.name] = value
    for k, v in obj.items():
        if k not in known:
            out[k] = v  # not an input of this package (a hand edit): validation says so
    return out


def _finalize_value(d: FieldDef, value: Any, original) -> Any:
    if value is None or (isinstance(value, str) and value == ""):
        return MISSING
    if d.kind == "object" and isinstance(value, dict):
        return _finalize_object(
            d, value, original if isinstance(original, dict) else None if original is None else {}
        )
    if d.kind == "array" and isinstance(value, list):
        out = []
        for item in value:
            v = _finalize_value(d.item, item, None)
            if v is MISSING or v == {}:
                continue
            out.append(v)
        return out
    return value


# --------------------------------------------------------------------------- bound nodes


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

    @property
    def id(self) -> str:
        return "f-" + self.key.replace(".", "--").replace("_", "-_")

    @property
    def name(self) -> str:
        return "f." + self.key

    @property
    def label(self) -> str:
        if self.index is not None and self.d.name in ("item",):
            return f"{self.parent_label} item {self.index + 1}"
        return self.d.label

    parent_label: str = ""

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
            if v == "" or v is None:
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
        out = []
        for i, (k, v) in enumerate(self.value.items()):
            text = v if isinstance(v, str) else json.dumps(v)
            out.append((i, k, text))
        return out

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
        if isinstance(v, bool):
            return "yes" if v else "no"
        if v in ("", None, MISSING):
            return "—"
        return _readable(v)

    @property
    def feedback_only(self) -> bool:
        """Inputs that change while focused (sliders, choices) get only their messages back."""
        return self.d.kind in ("slider", "checkbox", "radio", "select") and not self.d.controller

    @property
    def step_value(self) -> str:
        if self.d.kind == "integer" or self.d.kind == "slider":
            return "1"
        return "any"

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
            if n.key == key or key.startswith(n.key + ".") or not n.key:
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
    hidden_by_parent: dict[str, set[str]] = {}
    required_by_parent: dict[str, set[str]] = {}
    nodes = []
    for key, f in step.entries:
        parent_key = key.rpartition(".")[0]
        if parent_key not in hidden_by_parent:
            parent = form.definition(parent_key) if parent_key else form.root
            obj = get_at(data, parent_key, {}) if parent_key else data
            hidden_by_parent[parent_key] = hidden_children(parent, obj) if parent else set()
        hidden = f.name in hidden_by_parent[parent_key]
        node = _bind(f, key, data, errors, locked, secrets, hidden_here=hidden, focus=focus)
        if parent_key not in required_by_parent:
            parent = form.definition(parent_key) if parent_key else form.root
            obj = get_at(data, parent_key, {}) if parent_key else data
            required_by_parent[parent_key] = required_children(parent, obj) if parent else set()
        node.required_now = f.name in required_by_parent[parent_key]
        nodes.append(node)
    return nodes


def _bind(d, key, data, errors, locked, secrets, *, hidden_here=False, marker=True, focus=""):
    node = Node(
        d=d,
        key=key,
        value=value_of(d, data, key),
        errors=errors.get(key, []),
        hidden=hidden_here,
        locked=key in locked,
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
        node.children = [
            _bind(
                c,
                f"{key}.{c.name}",
                data,
                errors,
                locked if not node.locked else {f"{key}.{c.name}"} | set(locked),
                secrets,
                hidden_here=c.name in hidden,
                marker=marker,
                focus=focus,
            )
            for c in d.children
        ]
        for child in node.children:
            child.required_now = child.d.name in required_now
    elif d.kind == "array":
        items = node.value if isinstance(node.value, list) else []
        for i in range(len(items)):
            child = _bind(
                d.item, f"{key}.{i}", data, errors, locked, secrets, marker=False, focus=focus
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


def nodes_errors(nodes: list[Node]) -> bool:
    def walk(n: Node) -> bool:
        return bool(n.errors) or any(walk(c) for c in [*n.children, *n.items])

    return any(walk(n) for n in nodes)


def errors_for(errors: dict[str, list[str]], step: Step) -> dict[str, list[str]]:
    """The errors about the fields of `step`."""
    return {k: v for k, v in errors.items() if step.owns(k)}


def summary(form: WizardForm, inputs: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """(step title, [(label, value)]) for what will be written; sensitive values masked."""
    out = []
    for step in form.steps:
        rows: list[tuple[str, str]] = []
        for key, f in step.entries:
            _summarize(f, get_at(inputs, key), f.label, rows)
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
    node = Node(d=d, key="", value=value)
    rows.append((label, node.display))
