"""inputs.yaml: an edit keeps what a person wrote (comments, key order)."""

from __future__ import annotations

import pytest

from installations.input_schema import input_errors
from installations.inputs import (
    InputsFileError,
    dump_inputs,
    parse_inputs,
    update_inputs_file,
)

WRITTEN = b"""\
# Production settings; ask Olga before changing.
message: hi  # shown on the home page
replicas: 2
"""


def test_an_update_changes_only_the_values():
    out = update_inputs_file(WRITTEN, {"message": "hi", "replicas": 3})
    assert out == WRITTEN.replace(b"replicas: 2", b"replicas: 3")


def test_removed_keys_go_and_new_ones_are_appended():
    out = update_inputs_file(WRITTEN, {"message": "hi", "note": "x"})
    assert parse_inputs(out) == {"message": "hi", "note": "x"}
    assert b"# Production settings" in out and b"# shown on the home page" in out


def test_a_fresh_file_round_trips():
    inputs = {"replicas": 2, "image": {"tag": "1.0"}, "hosts": ["a", "b"]}
    assert parse_inputs(dump_inputs(inputs)) == inputs
    assert parse_inputs(dump_inputs({})) == {}


def test_defaults_count_as_given():
    schema = {
        "type": "object",
        "properties": {"replicas": {"type": "integer", "default": 1}, "name": {"type": "string"}},
        "required": ["replicas", "name"],
    }
    assert input_errors(schema, {}) == {"name": ["This field is required."]}


def test_a_key_set_twice_names_the_key_and_line():
    with pytest.raises(InputsFileError, match=r"line 3, column 1: replicas is set twice"):
        parse_inputs(b"replicas: 3\nhost: a\nreplicas: lots\n")


def test_a_file_that_is_not_utf8_says_so():
    with pytest.raises(InputsFileError, match="not UTF-8"):
        parse_inputs(b"\xff\xfe")
