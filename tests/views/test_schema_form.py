"""SchemaForm: JSON Schema -> Django fields, and the typed values -> nested inputs."""

from __future__ import annotations

from installations.forms import Fieldset, SchemaForm, sentence_case

SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "x-ui": {"order": 2}},
        "replicaCount": {"type": "integer", "default": 2, "x-ui": {"order": 1}},
        "ratio": {"type": "number"},
        "tls": {"type": "boolean", "default": True},
        "tier": {"enum": ["a", "b", 3]},
        "db": {
            "type": "object",
            "properties": {
                "host": {"type": "string"},
                "port": {"type": "integer", "default": 5432},
            },
            "required": ["host"],
        },
        "hosts": {"type": "array", "items": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "password": {"type": "string", "x-ui": {"sensitive": True}},
    },
    "required": ["name", "db"],
}


def test_sentence_case():
    assert sentence_case("replicaCount") == "Replica count"
    assert sentence_case("image_pull_policy") == "Image pull policy"
    assert sentence_case("enableTLS") == "Enable TLS"


def test_fields_follow_ui_order_and_nest_objects_with_dotted_names():
    form = SchemaForm(SCHEMA)
    assert form.layout[:2] == ["replicaCount", "name"]
    db = next(item for item in form.layout if isinstance(item, Fieldset))
    assert db.items == ["db.host", "db.port"]
    assert form.fields["db.host"].required
    assert not form.fields["ratio"].required
    assert form.initial["replicaCount"] == 2
    assert form.initial["db.port"] == 5432
    assert form.fields["password"].widget.input_type == "password"


def test_current_inputs_win_over_defaults():
    form = SchemaForm(SCHEMA, inputs={"replicaCount": 9, "db": {"port": 1}, "hosts": ["a", "b"]})
    assert form.initial["replicaCount"] == 9
    assert form.initial["db.port"] == 1
    assert form["hosts"].value() == "- a\n- b"


def test_cleaning_builds_nested_typed_inputs():
    data = {
        "name": "web",
        "replicaCount": "3",
        "ratio": "0.5",
        "tier": "3",
        "db.host": "pg",
        "db.port": "5432",
        "hosts": "- a.example\n- b.example",
        "labels": "team: web",
        "password": "",
    }
    form = SchemaForm(SCHEMA, data)
    assert form.is_valid(), form.errors
    assert form.cleaned_inputs == {
        "name": "web",
        "replicaCount": 3,
        "ratio": 0.5,
        "tls": False,
        "tier": 3,
        "db": {"host": "pg", "port": 5432},
        "hosts": ["a.example", "b.example"],
        "labels": {"team": "web"},
    }


def test_schema_errors_land_on_their_fields():
    data = {"name": "web", "db.host": "pg", "hosts": "team: not-a-list", "db.port": "1"}
    form = SchemaForm({**SCHEMA, "properties": {**SCHEMA["properties"]}}, data)
    assert not form.is_valid()
    assert "hosts" in form.errors


def test_a_missing_nested_required_value_is_an_error_on_that_field():
    form = SchemaForm(SCHEMA, {"name": "web"})
    assert not form.is_valid()
    assert "db.host" in form.errors


def test_bad_yaml_is_an_error_on_the_field():
    form = SchemaForm(SCHEMA, {"name": "web", "db.host": "pg", "hosts": "[unclosed"})
    assert not form.is_valid()
    assert "not valid YAML" in form.errors["hosts"][0]
