"""Paths name any key a values.yaml can hold, one canonical spelling per value."""

import pytest

from akua.packaging import paths
from akua.packaging.paths import PathError


@pytest.mark.parametrize(
    ("segments", "text"),
    [
        ((), ""),
        (("image", "tag"), "image.tag"),
        (("dbs", 0, "password"), "dbs.0.password"),
        (("config", "grafana.ini", "server"), 'config."grafana.ini".server'),
        (("redis-ha", "enabled"), '"redis-ha".enabled'),
        (("ports", "0"), 'ports."0"'),
        (("9front",), '"9front"'),
        (('say "hi"',), '"say \\"hi\\""'),
        (("a b", "ü"), '"a b"."ü"'),
        (("",), '""'),
    ],
)
def test_format_and_parse_round_trip(segments, text):
    assert paths.format(segments) == text
    assert paths.parse(text) == segments


def test_hyphenated_keys_may_be_typed_bare_and_come_back_quoted():
    assert paths.parse("redis-ha.enabled") == ("redis-ha", "enabled")
    assert paths.canonical("redis-ha.enabled") == '"redis-ha".enabled'


def test_join_extends_a_path():
    assert paths.join("", "config") == "config"
    assert paths.join("config", "grafana.ini") == 'config."grafana.ini"'
    assert paths.join("dbs", 2) == "dbs.2"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("a..b", "empty key"),
        (".a", "empty key"),
        ("a.", "empty key"),
        ('a."b', "unclosed quote"),
        ('a."b"c', "expected '.'"),
        ("a.b c", "expected '.'"),
        ("a.$b", "'$'"),
    ],
)
def test_malformed_paths_say_where(text, says):
    with pytest.raises(PathError, match=says.replace("$", r"\$")):
        paths.parse(text)
