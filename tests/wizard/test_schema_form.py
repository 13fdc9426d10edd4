"""From JSON Schema to steps and fields; reading a POST; conditions; finalize; messages."""

from __future__ import annotations

from django.http import QueryDict

from wizard.forms import (
    apply_op,
    build_form,
    field_errors,
    finalize,
    hidden_children,
    parse_post,
)

SCHEMA = {
    "type": "object",
    "properties": {
        "debug": {"type": "boolean", "default": False},
        "name": {
            "type": "string",
            "default": "hello",
            "description": "Internal name.",
            "x-ui": {
                "order": 10,
                "group": "Identity",
                "label": "App name",
                "placeholder": "my-app",
            },
        },
        "replicas": {
            "type": "integer",
            "default": 2,
            "minimum": 1,
            "x-ui": {"order": 20, "group": "Scale", "widget": "slider", "min": 1, "max": 10},
        },
        "ratio": {"type": "number", "x-ui": {"order": 5, "group": "Scale"}},
        "tier": {"enum": ["small", "medium", "large"], "default": "small"},
        "region": {"enum": ["a", "b", "c", "d", "e"]},
        "port": {"oneOf": [{"type": "integer"}, {"type": "string"}], "default": 8080},
        "hosts": {"type": "array", "items": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "notes": {"type": "string", "x-ui": {"widget": "textarea"}},
        "database": {
            "type": "object",
            "properties": {
                "host": {"type": "string", "default": "db"},
                "password": {"type": "string", "x-ui": {"sensitive": True}},
            },
        },
        "extra": {
            "type": "array",
            "items": {"type": "object", "properties": {"a": {"type": "string"}}},
        },
        "anything": {"oneOf": [{"type": "object"}, {"type": "array"}]},
        "apiKey": {"type": "string", "x-ui": {"order": 99, "group": "Secrets", "sensitive": True}},
    },
    "required": ["name"],
    "additionalProperties": False,
}


def test_steps_follow_groups_ordered_by_their_lowest_order():
    form = build_form(SCHEMA)
    assert [s.title for s in form.steps] == [
        "Scale",
        "Identity",
        "Secrets",
        "General",
        "Labels",  # a top-level map is a step of its own, as an object is
        "Database",
    ]
    scale = form.step("scale")
    assert [f.name for f in scale.fields] == ["ratio", "replicas"]  # by x-ui.order


def test_widgets_labels_and_placeholders_come_from_the_schema():
    form = build_form(SCHEMA)
    kinds = {f.name: f.kind for f in form.root.children}
    assert kinds == {
        "debug": "checkbox",
        "name": "text",
        "replicas": "slider",
        "ratio": "number",
        "tier": "radio",
        "region": "select",
        "port": "union",
        "hosts": "array",
        "labels": "map",
        "notes": "textarea",
        "database": "object",
        "extra": "array",
        "anything": "choice",
        "apiKey": "password",
    }
    name = form.definition("name")
    assert (name.label, name.placeholder, name.help) == ("App name", "my-app", "Internal name.")
    assert form.definition("apiKey").label == "Api key"
    assert form.definition("database.password").sensitive
    assert form.definition("extra.0.a").kind == "text"


def test_a_big_ungrouped_object_is_split_into_a_step_per_section():
    props = {
        f"s{i}": {"type": "object", "properties": {f"f{j}": {"type": "string"} for j in range(10)}}
        for i in range(5)
    }
    props["top"] = {"type": "string"}
    schema = {"type": "object", "properties": {"values": {"type": "object", "properties": props}}}
    form = build_form(schema)
    assert [s.title for s in form.steps] == [f"Values › S{i}" for i in range(5)] + ["Values"]
    assert form.step("values").keys == {"values.top"}
    assert form.step_of("values.s3.f2").title == "Values › S3"


def test_reading_a_post_converts_and_keeps_what_does_not_convert(sensitive):
    form = build_form(SCHEMA)
    post = QueryDict(mutable=True)
    post.setlist(
        "_fields",
        [
            "replicas",
            "ratio",
            "tier",
            "port",
            "debug",
            "hosts",
            "labels",
            "notes",
            "database.password",
        ],
    )
    post.update(
        {
            "f.replicas": "3",
            "f.ratio": "half",
            "f.tier": '"large"',
            "f.port": "http",
            "f.notes": "a\r\nb",
        }
    )
    post.setlist("i.hosts", ["1", "0"])
    post.update({"f.hosts.0": "a.example", "f.hosts.1": "b.example"})
    post.setlist("i.labels", ["key1", "key2"])  # the rows' keys as rendered
    post.update(
        {
            "k.labels.key1": "team",  # the key typed
            "f.labels.key1": "web",
            "k.labels.key2": "",  # emptied: the row keeps its key, with a message
            "f.labels.key2": "x",
        }
    )
    post["f.database.password"] = sensitive.password
    data = {"debug": True, "name": "kept"}
    result = parse_post(form, post, data)
    assert data["replicas"] == 3 and data["ratio"] == "half" and data["tier"] == "large"
    assert data["port"] == "http" and data["debug"] is False and data["notes"] == "a\nb"
    assert data["hosts"] == ["b.example", "a.example"]  # page order
    assert data["labels"] == {"team": "web", "key2": "x"}
    assert result.errors["labels"] == ["A key cannot be empty; “key2” was kept."]
    assert data["name"] == "kept"  # not on the page: untouched
    assert data["database"]["password"].startswith("akua-secret:sha256:")
    assert result.secrets == {"database.password": sensitive.password}


def test_locked_fields_are_not_read_from_a_post():
    form = build_form(SCHEMA)
    post = QueryDict("_fields=replicas&f.replicas=9")
    data = {"replicas": 2}
    parse_post(form, post, data, locked={"replicas"})
    assert data == {"replicas": 2}


def test_array_operations():
    form = build_form(SCHEMA)
    data = {"hosts": ["a"]}
    apply_op(form, data, "add:hosts")
    assert data["hosts"] == ["a", ""]
    data["hosts"][1] = "b"
    apply_op(form, data, "up:hosts.1")
    assert data["hosts"] == ["b", "a"]
    apply_op(form, data, "down:hosts.0")
    assert data["hosts"] == ["a", "b"]
    apply_op(form, data, "remove:hosts.0")
    assert data["hosts"] == ["b"]
    apply_op(form, data, "add:labels")
    assert data["labels"] == {"key1": ""}
    apply_op(form, data, "add:labels")
    data["labels"]["key2"] = "b"
    apply_op(form, data, "remove:labels.0")  # a map's row by its position in row_order
    assert data["labels"] == {"key2": "b"}


def test_finalize_writes_only_what_differs_from_the_defaults():
    form = build_form(SCHEMA)
    data = {"name": "", "replicas": 2, "hosts": ["a", ""], "tier": "small", "debug": True}
    # replicas and tier are their defaults: the package fills them in, inputs.yaml need not
    assert finalize(form, data) == {"hosts": ["a"], "debug": True}
    # An edit keeps what inputs.yaml held, even a default: the person wrote it there.
    assert finalize(form, data, original={"tier": "small"}) == {
        "hosts": ["a"],
        "tier": "small",
        "debug": True,
    }


def test_messages_are_in_plain_words():
    form = build_form(SCHEMA)
    assert field_errors(form, {"replicas": "three"}, "replicas") == {
        "replicas": ["Enter an integer."]
    }
    assert field_errors(form, {"replicas": 0}, "replicas") == {"replicas": ["Must be at least 1."]}
    assert field_errors(form, {"tier": "huge"}, "tier") == {
        "tier": ["Choose one of: small, medium, large."]
    }


def test_nested_field_validation_checks_only_the_enclosing_object():
    schema = {
        "type": "object",
        "properties": {
            "other": {"type": "integer"},
            "db": {"type": "object", "properties": {"port": {"type": "integer"}}},
        },
    }
    form = build_form(schema)
    data = {"other": "x", "db": {"port": "y"}}
    assert field_errors(form, data, "db.port") == {"db.port": ["Enter an integer."]}


CONDITIONAL = {
    "type": "object",
    "properties": {
        "ingress": {"type": "boolean", "default": False},
        "hostname": {"type": "string"},
        "plain": {"type": "string"},
        "tlsSecret": {"type": "string"},
        "tlsCert": {"type": "string"},
        "mode": {"enum": ["simple", "expert"], "default": "simple"},
        "tuning": {"type": "string"},
    },
    "allOf": [
        {
            "if": {"properties": {"ingress": {"const": True}}, "required": ["ingress"]},
            "then": {"required": ["hostname"]},
            "else": {"properties": {"plain": {}}},
        }
    ],
    "if": {"properties": {"mode": {"const": "expert"}}},
    "then": {"properties": {"tuning": {}}},
    "dependentRequired": {"tlsSecret": ["tlsCert"]},
}


def test_if_then_else_hides_the_branch_not_taken():
    form = build_form(CONDITIONAL)
    assert hidden_children(form.root, {}) == {"hostname", "tuning", "tlsCert"}
    assert hidden_children(form.root, {"ingress": True}) == {"plain", "tuning", "tlsCert"}
    assert hidden_children(form.root, {"mode": "expert", "tlsSecret": "s"}) == {"hostname"}
    assert form.definition("ingress").controller and form.definition("tlsSecret").controller
    assert not form.definition("hostname").required


def test_a_field_required_by_a_condition_is_marked_required_while_shown():
    from wizard.forms import required_children

    form = build_form(CONDITIONAL)
    assert required_children(form.root, {}) == set()
    assert required_children(form.root, {"ingress": True, "tlsSecret": "s"}) == {
        "hostname",
        "tlsCert",
    }


def test_a_hidden_field_is_not_required_and_not_submitted():
    form = build_form(CONDITIONAL)
    data = {"ingress": False, "hostname": "typed.example", "tuning": "x"}
    assert finalize(form, data) == {}  # ingress is its default
    assert field_errors(form, {"ingress": False}, "hostname") == {}
    # shown: required, and kept
    assert field_errors(form, {"ingress": True}, "hostname") == {
        "hostname": ["This field is required."]
    }
    assert finalize(form, {**data, "ingress": True}) == {
        "ingress": True,
        "hostname": "typed.example",
    }


def test_dependent_required_shows_and_requires_the_dependent_field():
    form = build_form(CONDITIONAL)
    assert finalize(form, {"tlsCert": "c"}) == {}
    assert field_errors(form, {"tlsSecret": "s"}, "tlsCert") == {
        "tlsCert": ["This field is required."]
    }
    assert finalize(form, {"tlsSecret": "s", "tlsCert": "c"}) == {"tlsSecret": "s", "tlsCert": "c"}


def test_a_password_in_a_list_item_left_empty_keeps_its_value_after_a_reorder():
    schema = {
        "type": "object",
        "properties": {
            "dbs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "host": {"type": "string"},
                        "password": {"type": "string", "x-ui": {"sensitive": True}},
                    },
                },
            }
        },
    }
    form = build_form(schema)
    data = {"dbs": [{"host": "a", "password": "akua-secret:sha256:aaa"}, {"host": "b"}]}
    post = QueryDict(mutable=True)
    post.setlist("_fields", ["dbs"])
    post.setlist("i.dbs", ["1", "0"])  # moved
    post.update(
        {"f.dbs.0.host": "a", "f.dbs.0.password": "", "f.dbs.1.host": "b", "f.dbs.1.password": ""}
    )
    parse_post(form, post, data)
    assert data["dbs"] == [{"host": "b"}, {"host": "a", "password": "akua-secret:sha256:aaa"}]
