"""values.yaml comments read as helm-docs reads them: the block directly above a key, prose kept,
only commented-out values taken out."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from akua.packaging.errors import PackagingError
from akua.packaging.generate.comments import comment_above
from akua.packaging.generate.values import chart_values, read_values_yaml
from tests.hostile_yaml import bomb_yaml

# {case: {above: the lines above `replicas: 1`, description: what is read from them}}
CASES = yaml.safe_load((Path(__file__).parent / "values_comments.yaml").read_text())


@pytest.mark.parametrize("case", CASES)
def test_the_description_of_a_key(case):
    text, expected = CASES[case]["above"] + "replicas: 1\n", CASES[case]["description"]
    lines = text.splitlines()
    key_line = next(i for i, line in enumerate(lines) if line.startswith("replicas:"))
    assert comment_above(lines, key_line) == expected


def test_nested_keys_and_odd_names_get_their_comments(tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text(
        "image:\n"
        "  # -- The tag; NOTE: see [tags](https://example.com).\n"
        "  tag: '1'\n"
        "# Redis in HA mode.\n"
        "redis-ha:\n"
        "  # Turn it on.\n"
        "  enabled: false\n"
        "# Grafana's ini file.\n"
        "grafana.ini: {}\n"
    )
    _data, comments = read_values_yaml(values)
    assert comments == {
        "image.tag": "The tag; NOTE: see [tags](https://example.com).",
        '"redis-ha"': "Redis in HA mode.",
        '"redis-ha".enabled': "Turn it on.",
        '"grafana.ini"': "Grafana's ini file.",
    }


def test_a_values_yaml_that_expands_without_end_is_refused(tmp_path):
    """A vendor's chart is code too: before, generation walked the bomb's 10**9 strings.
    (The round-trip parser reads `&a [*a]` as `[null]`: no loop to refuse there.)"""
    values = tmp_path / "values.yaml"
    values.write_text(bomb_yaml())
    with pytest.raises(PackagingError, match="aliases make it expand to more than 16 MiB"):
        read_values_yaml(values)


def test_prose_of_an_option_left_commented_out_stays_with_it(tmp_path):
    """Charts document options they leave unset right above the next real key; that prose is
    not the next key's description (before, `reloadURL` read "Log level …")."""
    values = tmp_path / "values.yaml"
    values.write_text(
        "sidecar:\n"
        "  # Do not reprocess unchanged resources on reconnect.\n"
        "  # ignoreProcessed: true\n"
        "  # Label the config maps are marked with\n"
        "  label: app_alert\n"
        "  # Log level. One of: DEBUG, INFO.\n"
        "  # logLevel: INFO\n"
        "  #\n"
        "  # retries: how often a request is tried.\n"
        "  # retries: 5\n"
        "  enabled: false\n"
        "  # Log level. One of: DEBUG, INFO.\n"
        "  # logLevel: INFO\n"
        "  #\n"
        "  # Endpoint to send reload requests to\n"
        "  reloadURL: http://localhost/reload\n"
        "# Resources of the pod, for example:\n"
        "# limits:\n"
        "#   cpu: 100m\n"
        "# or leave it empty.\n"
        "resources: {}\n"
        "# Pull policy\n"
        "# pullPolicy: Always\n"
        "pullPolicy: IfNotPresent\n"
        "# Tolerations, e.g.\n"
        "# - key: dedicated\n"
        "#   operator: Equal\n"
        "tolerations: []\n"
    )
    _data, comments = read_values_yaml(values)
    assert comments == {
        "sidecar.label": "Label the config maps are marked with",
        "sidecar.reloadURL": "Endpoint to send reload requests to",
        "resources": "Resources of the pod, for example:\nor leave it empty.",
        "pullPolicy": "Pull policy",
        "tolerations": "Tolerations, e.g.",
    }


def test_a_values_schema_nested_without_end_is_refused(tmp_path):
    """Before: RecursionError out of the JSON parser (a 500 on the admin's generation page)."""
    (tmp_path / "values.yaml").write_text("a: 1\n")
    (tmp_path / "values.schema.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(PackagingError, match="values.schema.json is nested too deeply"):
        chart_values(tmp_path)
