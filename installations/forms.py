"""Forms for the installation pages: choosing a package version, and a plain form built from an input schema.

`SchemaForm` turns a package version's exported JSON Schema into Django fields:
string/integer/number/boolean become text/number inputs and checkboxes, an `enum` a select,
a nested object a fieldset whose fields have dotted names (`image.tag`), and anything else
(arrays, maps, unions) a YAML textarea. The JSON Schema stays the one place validation
lives: the form only converts the typed text, then `installations.inputs.input_errors` (the
same check a git push gets) validates the assembled inputs and each error is put next to
the field it is about. The wizard issue replaces this
form with a step-by-step one; the dotted-name convention is meant to carry over.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import jsonschema
import yaml
from django import forms
from django.core.exceptions import ValidationError

from catalog.models import PackageVersion, Workspace
from installations.inputs import input_errors

_MISSING = object()


# --------------------------------------------------------------------------- schema form


@dataclass
class Fieldset:
    """A nested object of the schema: a legend, help text and its own items."""

    name: str
    legend: str
    description: str = ""
    items: list[Any] = field(default_factory=list)

    is_fieldset = True


def sentence_case(name: str) -> str:
    """`replicaCount` / `replica_count` -> `Replica count`."""
    words: list[str] = []
    current = ""
    for char in name.replace("_", " ").replace("-", " "):
        if char == " ":
            if current:
                words.append(current)
            current = ""
        elif char.isupper() and current and not current[-1].isupper():
            words.append(current)
            current = char
        else:
            current += char
    if current:
        words.append(current)
    text = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
    return text[:1].upper() + text[1:]


def _ui(prop: dict) -> dict:
    ui = prop.get("x-ui")
    return ui if isinstance(ui, dict) else {}


def _ordered(properties: dict) -> list[tuple[str, dict]]:
    """Properties in `x-ui.order` order, declaration order for ties and for unordered ones."""
    items = [(name, prop if isinstance(prop, dict) else {}) for name, prop in properties.items()]
    return [
        item
        for _, item in sorted(
            enumerate(items),
            key=lambda pair: (_ui(pair[1][1]).get("order", float("inf")), pair[0]),
        )
    ]


def _kind(prop: dict) -> str:
    """How a property is edited here: enum, string, integer, number, boolean, object or yaml."""
    if "enum" in prop or "const" in prop:
        return "enum"
    types = prop.get("type")
    if isinstance(types, list):
        non_null = [t for t in types if t != "null"]
        types = non_null[0] if len(non_null) == 1 else None
    if types == "object" and prop.get("properties") and not prop.get("additionalProperties"):
        return "object"
    if types in ("string", "integer", "number", "boolean"):
        return types
    return "yaml"


def _get(data: Any, dotted: list[str]) -> Any:
    for key in dotted:
        if not isinstance(data, dict) or key not in data:
            return _MISSING
        data = data[key]
    return data


def _set(data: dict, dotted: list[str], value: Any) -> None:
    for key in dotted[:-1]:
        data = data.setdefault(key, {})
    data[dotted[-1]] = value


class YAMLField(forms.CharField):
    """Free-form YAML for arrays, maps and unions; the value is the parsed object."""

    widget = forms.Textarea

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}))
        super().__init__(*args, strip=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str) or value is None:
            return value
        return yaml.safe_dump(value, default_flow_style=False, sort_keys=False).rstrip("\n")

    def to_python(self, value):
        text = super().to_python(value)
        if not text.strip():
            return None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark else ""
            raise ValidationError(f"This is not valid YAML{where}.", code="yaml") from exc


class SchemaForm(forms.Form):
    """A form generated from a JSON Schema object; `cleaned_inputs` is the nested inputs dict.

    `inputs` are the current values (an installation's inputs.yaml) and win over the schema's
    defaults. Optional fields left empty are left out, so the package's own default applies.
    """

    required_css_class = "required"

    def __init__(self, schema: dict, *args, inputs: dict | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.schema = schema if isinstance(schema, dict) else {}
        self.inputs = inputs or {}
        self.cleaned_inputs: dict = {}
        self._kinds: dict[str, str] = {}
        self.layout = self._build(self.schema, [], required_chain=True, defaults=_MISSING)

    # -- building

    def _build(self, schema: dict, path: list[str], *, required_chain: bool, defaults) -> list:
        """Fields for `schema`'s properties; `defaults` is the enclosing object's default."""
        items: list = []
        required = set(schema.get("required") or [])
        for name, prop in _ordered(schema.get("properties") or {}):
            dotted = [*path, name]
            key = ".".join(dotted)
            ui = _ui(prop)
            kind = _kind(prop)
            default = prop.get("default", _MISSING)
            if default is _MISSING and isinstance(defaults, dict):
                default = defaults.get(name, _MISSING)
            if kind == "object":
                # An object's "title" is often its KCL schema name (ImageSpec): not a label.
                legend = ui.get("label") or sentence_case(name)
                fieldset = Fieldset(key, legend, prop.get("description", ""))
                fieldset.items = self._build(
                    prop,
                    dotted,
                    required_chain=required_chain and name in required,
                    defaults=default,
                )
                items.append(fieldset)
                continue
            label = ui.get("label") or prop.get("title") or sentence_case(name)
            is_required = required_chain and name in required
            self.fields[key] = self._field(kind, prop, ui, label, is_required)
            self._kinds[key] = kind
            initial = _get(self.inputs, dotted)
            if initial is _MISSING:
                initial = default
            if initial is not _MISSING:
                self.initial[key] = self._initial(kind, initial)
            items.append(key)
        return items

    def _field(self, kind: str, prop: dict, ui: dict, label: str, required: bool) -> forms.Field:
        common = {"label": label, "required": required, "help_text": prop.get("description", "")}
        attrs: dict[str, Any] = {}
        if ui.get("placeholder"):
            attrs["placeholder"] = ui["placeholder"]
        if kind == "enum":
            values = prop.get("enum", [prop.get("const")])
            choices = [(json.dumps(v), v if isinstance(v, str) else json.dumps(v)) for v in values]
            if not required:
                choices.insert(0, ("", "—"))
            return forms.TypedChoiceField(
                choices=choices, coerce=json.loads, empty_value=None, **common
            )
        if kind == "boolean":
            common["required"] = False  # a required checkbox would mean "must be ticked"
            return forms.BooleanField(**common)
        if kind in ("integer", "number"):
            for attr, keys in (("min", ("minimum", "min")), ("max", ("maximum", "max"))):
                for source in (prop, ui):
                    for key in keys:
                        if isinstance(source.get(key), int | float):
                            attrs[attr] = source[key]
            if kind == "integer":
                return forms.IntegerField(widget=forms.NumberInput(attrs=attrs), **common)
            attrs.setdefault("step", "any")
            return forms.FloatField(widget=forms.NumberInput(attrs=attrs), **common)
        if kind == "string":
            if ui.get("sensitive") or prop.get("writeOnly"):
                widget = forms.PasswordInput(render_value=True, attrs=attrs)
            elif ui.get("widget") == "textarea":
                widget = forms.Textarea(attrs={"rows": 4, **attrs})
            else:
                widget = forms.TextInput(attrs=attrs)
            return forms.CharField(widget=widget, strip=False, **common)
        help_text = common.pop("help_text")
        note = "Write YAML (a list or a map)."
        return YAMLField(help_text=f"{help_text} {note}".strip(), **common)

    @staticmethod
    def _initial(kind: str, value: Any) -> Any:
        if kind == "enum":
            return json.dumps(value)
        return value

    @property
    def bound_layout(self) -> list:
        """The layout with bound fields in place of names, for the template."""

        def walk(items: list) -> list:
            return [
                Fieldset(i.name, i.legend, i.description, walk(i.items))
                if isinstance(i, Fieldset)
                else self[i]
                for i in items
            ]

        return walk(self.layout)

    # -- cleaning

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        inputs: dict = {}
        for key, kind in self._kinds.items():
            value = cleaned.get(key)
            if kind == "boolean":
                _set(inputs, key.split("."), bool(value))
            elif value is None or (kind == "string" and value == ""):
                continue  # optional and left empty: the package default applies
            else:
                _set(inputs, key.split("."), value)
        for key, messages in input_errors(self.schema, inputs).items():
            target = None if key == "__all__" else self.field_for_path(key.split("."))
            for message in messages:
                self.add_error(target, message)
        self.cleaned_inputs = inputs
        return cleaned

    def field_for_path(self, path: list) -> str | None:
        """The form field (or its nearest enclosing field) a schema path points at."""
        parts = [str(p) for p in path]
        while parts:
            key = ".".join(parts)
            if key in self.fields:
                return key
            parts.pop()
        return None

    def add_schema_error(self, error: jsonschema.ValidationError) -> None:
        path = list(error.absolute_path)
        message = error.message
        if error.validator == "required" and isinstance(error.instance, dict):
            missing = [name for name in error.validator_value if name not in error.instance]
            if missing:
                path = [*path, missing[0]]
                message = "This field is required."
        self.add_error(self.field_for_path(path), message)

    def add_action_error(self, exc: Exception) -> None:
        """Show an error raised by the actions layer next to the field it names, if any."""
        if isinstance(exc, jsonschema.ValidationError):
            self.add_schema_error(exc)
            return
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            for key, errors in exc.error_dict.items():
                target = self.field_for_path(str(key).split(".")) if key != "__all__" else None
                for error in errors:
                    self.add_error(target, error)
            return
        if isinstance(exc, ValidationError):
            for message in exc.messages:
                self.add_error(None, message)
            return
        self.add_error(None, str(exc))


# --------------------------------------------------------------------------- install form


def _version_label(pv: PackageVersion) -> str:
    return f"{pv.package.name} {pv.version} — {pv.package.workspace.name}"


class NewInstallationForm(forms.Form):
    """For which customer workspace, under which name; the version rides along hidden."""

    required_css_class = "required"

    package_version = forms.ModelChoiceField(
        queryset=PackageVersion.objects.none(), widget=forms.HiddenInput
    )
    customer_workspace = forms.ModelChoiceField(
        queryset=Workspace.objects.none(),
        label="Customer workspace",
        help_text="The workspace that will own and see the installation.",
        empty_label=None,
    )
    name = forms.CharField(
        max_length=100,
        label="Installation name",
        help_text="A name people will recognise, e.g. “acme-production”.",
    )

    def __init__(self, *args, versions, workspaces, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["package_version"].queryset = versions
        self.fields["customer_workspace"].queryset = workspaces


class ChooseVersionForm(forms.Form):
    """Step one of a new installation: which package version (a GET form)."""

    required_css_class = "required"

    package_version = forms.ModelChoiceField(
        queryset=PackageVersion.objects.none(),
        label="Package version",
        empty_label="Choose a package version…",
    )

    def __init__(self, *args, versions, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["package_version"].queryset = versions
        self.fields["package_version"].label_from_instance = _version_label
