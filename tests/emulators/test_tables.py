"""Server-side printing: ages worded as apimachinery's HumanDuration words them, and the
Table a client gets when it asks for one."""

from __future__ import annotations

import json
import ssl
import urllib.request

import pytest

from emulators.kubernetes.tables import human_duration

DURATIONS = [
    (-5, "<invalid>"),
    (-1, "0s"),
    (0, "0s"),
    (45, "45s"),
    (119, "119s"),
    (120, "2m"),
    (303, "5m3s"),
    (600, "10m"),
    (179 * 60, "179m"),
    (3 * 3600, "3h"),
    (3 * 3600 + 12 * 60, "3h12m"),
    (8 * 3600, "8h"),
    (47 * 3600, "47h"),
    (2 * 86400, "2d"),
    (4 * 86400 + 2 * 3600, "4d2h"),
    (30 * 86400, "30d"),
    (2 * 365 * 86400, "2y"),
    (2 * 365 * 86400 + 30 * 86400, "2y30d"),
    (9 * 365 * 86400, "9y"),
]


@pytest.mark.parametrize("seconds,words", DURATIONS)
def test_ages(seconds, words):
    assert human_duration(seconds) == words


def test_a_table_is_what_was_asked_for(k8s_emulator):
    request = urllib.request.Request(
        f"{k8s_emulator.url}/api/v1/namespaces",
        headers={
            "Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
            "Authorization": f"Bearer {k8s_emulator.token}",
        },
    )
    tls = ssl.create_default_context(cadata=k8s_emulator.ca_pem.decode())
    with urllib.request.urlopen(request, context=tls) as response:
        table = json.load(response)
    assert table["kind"] == "Table"
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Status", "Age"]
    rows = {r["cells"][0]: r for r in table["rows"]}
    assert rows["default"]["cells"][1] == "Active"
    assert rows["default"]["object"]["kind"] == "PartialObjectMetadata"
    assert "managedFields" not in rows["default"]["object"]["metadata"]
