"""values.yaml comments read as helm-docs reads them: the block directly above a key, prose kept,
only commented-out values taken out."""

from __future__ import annotations

import pytest

from akua.packaging.generate.comments import comment_above
from akua.packaging.generate.values import read_values_yaml

CASES = [
    ("plain comment", "# Number of pods.\nreplicas: 1\n", "Number of pods."),
    ("helm-docs marker", "# -- Number of pods.\nreplicas: 1\n", "Number of pods."),
    (
        "NOTE line is prose",
        "# Number of pods.\n# NOTE: requires a PodDisruptionBudget.\nreplicas: 1\n",
        "Number of pods.\nNOTE: requires a PodDisruptionBudget.",
    ),
    (
        "TODO and URL lines are prose",
        "# The tag to run.\n# TODO: pin by digest\n# https://example.com/tags\nreplicas: 1\n",
        "The tag to run.\nTODO: pin by digest\nhttps://example.com/tags",
    ),
    (
        "ref: URL is prose",
        "## Pod annotations\n## ref: https://kubernetes.io/docs/annotations/\nreplicas: 1\n",
        "Pod annotations\nref: https://kubernetes.io/docs/annotations/",
    ),
    (
        "markdown link kept",
        "# -- See [the docs](https://example.com/docs) for `tag`.\nreplicas: 1\n",
        "See [the docs](https://example.com/docs) for `tag`.",
    ),
    (
        "commented-out value below the prose is dropped",
        "# Resources of the pod.\n# limits:\n#   cpu: 100m\n#   memory: 128Mi\nreplicas: 1\n",
        "Resources of the pod.",
    ),
    (
        "commented-out value above the prose is dropped",
        "# limits:\n#   cpu: 100m\n# Resources of the pod.\nreplicas: 1\n",
        "Resources of the pod.",
    ),
    (
        "a list of mappings is a commented-out value",
        "# Extra environment variables.\n# - name: FOO\n#   value: bar\nreplicas: 1\n",
        "Extra environment variables.",
    ),
    (
        "a list of words is a commented-out value",
        "# Capabilities to drop.\n# - ALL\nreplicas: 1\n",
        "Capabilities to drop.",
    ),
    (
        "a markdown bullet list is prose",
        "# Modes:\n# - fast mode for tests\n# - safe mode for production\nreplicas: 1\n",
        "Modes:\n- fast mode for tests\n- safe mode for production",
    ),
    (
        "Example: announcing a dropped value goes too",
        "# Node labels for pod assignment.\n# Example:\n# kubernetes.io/os: linux\nreplicas: 1\n",
        "Node labels for pod assignment.",
    ),
    ("only a commented-out value", "# replicas: 3\nreplicas: 1\n", ""),
    (
        "key with a one-line sentence is prose",
        "# description: this value sets the pods\nreplicas: 1\n",
        "description: this value sets the pods",
    ),
    ("blank line ends the block", "# Section header\n\n# Pods.\nreplicas: 1\n", "Pods."),
    ("no comment", "other: 2\nreplicas: 1\n", ""),
    (
        "helm-docs starts at the last marker",
        "# limits:\n#   cpu: 1\n# -- Pods to run;\n# more than one needs a PDB.\nreplicas: 1\n",
        "Pods to run;\nmore than one needs a PDB.",
    ),
    (
        "helm-docs type and @default annotation",
        "# -- (int) Pods to run.\n# @default -- one per zone\nreplicas: 1\n",
        "Pods to run.",
    ),
    (
        "bitnami @param prefix",
        "## @param replicas Number of replicas\nreplicas: 1\n",
        "Number of replicas",
    ),
    (
        "empty comment line starts a paragraph",
        "# First paragraph.\n#\n# Second paragraph.\nreplicas: 1\n",
        "First paragraph.\n\nSecond paragraph.",
    ),
    (
        "separator lines are not text",
        "# ------------\n# Pods.\n# ------------\nreplicas: 1\n",
        "Pods.",
    ),
    (
        "WARNING with a colon inside is prose",
        "# WARNING: key: value pairs here are not merged\nreplicas: 1\n",
        "WARNING: key: value pairs here are not merged",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_description_of_a_key(text, expected):
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
