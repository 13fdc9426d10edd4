"""installations.input_schema: the one reading of an input schema and its inputs.

Paths name any key (quoted segments), one setter and one MISSING for every door; kinds,
coercion and labels are the wizard's widgets; validation merges defaults first.
"""

from __future__ import annotations

import copy

import pytest

from installations import input_schema as s
from installations.input_schema import MISSING, Lock, PathError

DATA = {
    "image": {"tag": "1.0"},
    "config": {"grafana.ini": {"server": "x"}},
    "redis-ha": {"enabled": True},
    "dbs": [{"password": "p0"}, {"password": "p1"}],
    "ports": {"0": "zero"},
    "empty": None,
}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("image.tag", "1.0"),
        ('config."grafana.ini".server', "x"),
        ('"redis-ha".enabled', True),
        ("redis-ha.enabled", True),  # typed bare, as helm --set takes it
        ("dbs.1.password", "p1"),
        ('ports."0"', "zero"),
        ("ports.0", "zero"),  # an old dotted path: an index on a mapping reads the key
        ("empty", None),
        ("image.nope", MISSING),
        ("dbs.5.password", MISSING),
        ("image.tag.deeper", MISSING),
        ("", DATA),
    ],
)
def test_get_reads_any_key(path, value):
    got = s.get_value(DATA, path)
    if value is MISSING:
        assert got is MISSING
    else:
        assert got == value


@pytest.mark.parametrize(
    ("before", "path", "value", "after"),
    [
        ({}, "image.tag", "2", {"image": {"tag": "2"}}),
        ({}, 'config."grafana.ini".port', 3000, {"config": {"grafana.ini": {"port": 3000}}}),
        ({}, "dbs.0.password", "m", {"dbs": [{"password": "m"}]}),  # a list for an index
        ({"dbs": [{"a": 1}]}, "dbs.1.a", 2, {"dbs": [{"a": 1}, {"a": 2}]}),  # the next item
        ({"dbs": [{"a": 1}]}, "dbs.0.a", 5, {"dbs": [{"a": 5}]}),
        ({"ports": {"0": "a"}}, "ports.0", "b", {"ports": {"0": "b"}}),  # old path, a key
        ({"image": "flat"}, "image.tag", "t", {"image": {"tag": "t"}}),
    ],
)
def test_one_setter_makes_what_is_missing(before, path, value, after):
    data = copy.deepcopy(before)
    s.set_value(data, path, value)
    assert data == after


@pytest.mark.parametrize(
    ("data", "path", "says"),
    [
        ({"dbs": []}, "dbs.3.password", "there is no item 3"),
        ({"dbs": []}, "dbs.name", "there is no item name"),
        ({}, "a..b", "empty key"),
        ({}, "", "root cannot be set"),
    ],
)
def test_the_setter_refuses_what_it_cannot_make(data, path, says):
    with pytest.raises(PathError, match=says):
        s.set_value(data, path, 1)


def test_delete_removes_keys_and_items_and_ignores_what_is_not_there():
    data = copy.deepcopy(DATA)
    s.delete_value(data, 'config."grafana.ini"')
    s.delete_value(data, "dbs.0")
    s.delete_value(data, "nope.deeper")
    assert data["config"] == {}
    assert data["dbs"] == [{"password": "p1"}]


def test_leaves_name_every_value_canonically():
    assert dict(s.leaves(DATA)) == {
        "image.tag": "1.0",
        'config."grafana.ini".server': "x",
        '"redis-ha".enabled': True,
        "dbs.0.password": "p0",
        "dbs.1.password": "p1",
        'ports."0"': "zero",
        "empty": None,
    }


def test_parent_and_is_within_respect_quoted_segments():
    assert s.parent('config."grafana.ini".server') == ('config."grafana.ini"', "server")
    assert s.parent("dbs.2") == ("dbs", 2)
    assert s.is_within('config."grafana.ini".server', 'config."grafana.ini"')
    assert not s.is_within('config."grafana.ini"', "config.grafana")
    assert not s.is_within("imagex", "image")


def test_missing_is_one_object_that_survives_copies():
    assert copy.deepcopy({"a": MISSING})["a"] is MISSING
    assert repr(MISSING) == "MISSING"


# -- the schema ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prop", "kind"),
    [
        ({"type": "string"}, "text"),
        ({"type": "string", "x-ui": {"widget": "textarea"}}, "textarea"),
        ({"type": "string", "x-ui": {"sensitive": True}}, "password"),
        ({"type": "string", "writeOnly": True}, "password"),
        ({"type": "integer"}, "integer"),
        ({"type": ["number", "null"]}, "number"),
        ({"type": "integer", "x-ui": {"widget": "slider", "min": 1, "max": 9}}, "slider"),
        ({"type": "integer", "x-ui": {"widget": "slider"}}, "integer"),  # no bounds, no slider
        ({"type": "boolean"}, "checkbox"),
        ({"enum": ["a", "b"]}, "radio"),
        ({"enum": ["a", "b", "c", "d", "e"]}, "select"),
        ({"enum": ["a", "b"], "x-ui": {"widget": "select"}}, "select"),
        ({"oneOf": [{"type": "integer"}, {"type": "string"}]}, "union"),
        ({"type": "object", "properties": {"a": {}}}, "object"),
        ({"type": "object", "additionalProperties": {"type": "string"}}, "map"),
        ({"type": "object"}, "map"),
        ({"type": "array", "items": {"type": "string"}}, "array"),
        ({"type": "array", "items": {"type": "array"}}, "array"),  # items of any kind
        ({"type": "array"}, "yaml"),
        ({"type": "object", "properties": {"a": {}}, "additionalProperties": True}, "object"),
        # named entries and a shape for other keys (a chart's `ports: {web: {...}}`)
        (
            {
                "type": "object",
                "properties": {"web": {"type": "object"}},
                "additionalProperties": {"type": "object"},
            },
            "map",
        ),
        ({"type": "object", "additionalProperties": {"type": "object"}}, "map"),
        ({"oneOf": [{"type": "object"}, {"type": "array"}]}, "choice"),
        ({"anyOf": [{"type": "object"}, {"type": "null"}]}, "choice"),
    ],
)
def test_kinds(prop, kind):
    assert s.kind(prop) == kind


@pytest.mark.parametrize(
    ("kind", "prop", "raw", "value"),
    [
        ("integer", {"type": "integer"}, " 3 ", 3),
        ("integer", {"type": "integer"}, "3.0", 3),
        ("integer", {"type": "integer"}, "three", "three"),  # kept: validation says why
        ("number", {"type": "number"}, "2", 2.0),
        ("number", {"type": "number"}, "", ""),
        ("checkbox", {"type": "boolean"}, "on", True),
        ("checkbox", {"type": "boolean"}, "false", False),
        ("radio", {"enum": [1, "a"]}, "1", 1),
        ("radio", {"enum": [1, "a"]}, '"a"', "a"),
        ("union", {"oneOf": [{"type": "integer"}, {"type": "string"}]}, "80", 80),
        ("union", {"oneOf": [{"type": "integer"}, {"type": "string"}]}, "http", "http"),
        ("text", {"type": "string"}, "a\r\nb", "a\nb"),
        ("yaml", {}, "- a\n- b", ["a", "b"]),
    ],
)
def test_typed_text_becomes_the_inputs_value(kind, prop, raw, value):
    assert s.coerce(prop, raw, kind) == value


def test_yaml_that_does_not_parse_names_its_line():
    with pytest.raises(s.YAMLTextError, match=r"line 2"):
        s.coerce({}, "a: 1\nb: [", "yaml")


@pytest.mark.parametrize(
    ("name", "prop", "label"),
    [
        ("replicaCount", {"type": "integer"}, "Replica count"),
        ("image_pull_policy", {"type": "string"}, "Image pull policy"),
        ("enableTLS", {"type": "boolean"}, "Enable TLS"),
        ("grafana.ini", {"type": "string"}, "Grafana ini"),
        ("tag", {"type": "string", "title": "Image tag"}, "Image tag"),
        ("db", {"type": "object", "title": "DbSpec", "properties": {"a": {}}}, "Db"),
        ("db", {"type": "string", "x-ui": {"label": "Database"}}, "Database"),
    ],
)
def test_labels(name, prop, label):
    assert s.label(name, prop) == label


SCHEMA = {
    "type": "object",
    "properties": {
        "config": {
            "type": "object",
            "properties": {
                "grafana.ini": {
                    "type": "object",
                    "properties": {
                        "port": {"type": "integer", "minimum": 1},
                        "adminPassword": {"type": "string", "x-ui": {"sensitive": True}},
                    },
                }
            },
        },
        "dbs": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "port": {"type": "integer", "default": 5432},
                },
                "required": ["name", "port"],
            },
        },
        "labels": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {"v": {"type": "string", "default": "x"}},
                "required": ["v"],
            },
        },
    },
}


def test_schema_at_and_sensitivity_follow_quoted_paths():
    assert s.schema_at(SCHEMA, 'config."grafana.ini".port') == {"type": "integer", "minimum": 1}
    assert s.is_sensitive_path(SCHEMA, 'config."grafana.ini".adminPassword')
    inputs = {"config": {"grafana.ini": {"adminPassword": "pw"}}}
    assert s.sensitive_values(SCHEMA, inputs) == [('config."grafana.ini".adminPassword', "pw")]


def test_errors_name_keys_with_dots_by_their_canonical_path():
    errors = s.input_errors(SCHEMA, {"config": {"grafana.ini": {"port": 0}}})
    assert errors == {'config."grafana.ini".port': ["Must be at least 1."]}


def test_a_required_input_left_at_its_default_passes_in_list_items_and_map_values():
    inputs = {"dbs": [{"name": "a"}, {"name": "b", "port": 1}], "labels": {"team": {}}}
    assert s.input_errors(SCHEMA, inputs) == {}
    assert s.input_errors(SCHEMA, {"dbs": [{"port": 1}]}) == {
        "dbs.0.name": ["This field is required."]
    }


def test_required_fields_of_a_missing_object_are_its_required_leaves_without_defaults():
    schema = {
        "type": "object",
        "properties": {
            "db": {
                "type": "object",
                "properties": {"host": {"type": "string"}, "port": {"default": 1}},
                "required": ["host", "port"],
            }
        },
    }
    assert s.required_fields(schema, "db") == ["db.host"]
    assert s.required_fields(schema, "other") == ["other"]


# -- locks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lock", "before", "after", "broken"),
    [
        (Lock("replicas"), {"replicas": 3}, {"replicas": 3}, False),
        (Lock("replicas"), {"replicas": 3}, {"replicas": 4}, True),
        (Lock("replicas"), {"replicas": 3}, {}, True),  # removing it changes it too
        (Lock("replicas", 9), {"replicas": 3}, {"replicas": 9}, False),  # to the fixed value
        (Lock("replicas", 9), {"replicas": 3}, {"replicas": 3}, False),  # left as it was
        (Lock("replicas", 9), {"replicas": 3}, {"replicas": 4}, True),
        (Lock("image"), {"image": {"tag": "1"}}, {"image": {"tag": "2"}}, True),  # inside it
        (Lock('config."a.b"'), {}, {"config": {"a.b": 1}}, True),
        (Lock("replicas"), None, {}, False),  # new: left out, the default applies
        (Lock("replicas"), None, {"replicas": 1}, True),
        (Lock("replicas", 9), None, {"replicas": 9}, False),
    ],
)
def test_what_a_lock_refuses(lock, before, after, broken):
    assert s.violations([lock], before, after) == ([lock.path] if broken else [])


def test_enforce_puts_the_locked_value_back():
    data = {"replicas": 7, "image": {"tag": "x"}}
    s.enforce([Lock("replicas"), Lock("image.tag", "1.0")], {"replicas": 3}, data)
    assert data == {"replicas": 3, "image": {"tag": "1.0"}}
    s.enforce([Lock("replicas")], None, data)
    assert "replicas" not in data
    assert (
        s.locked_message("image.tag") == "image.tag is locked by the vendor and cannot be changed."
    )
