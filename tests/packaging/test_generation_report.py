"""The generation report finds every `lookup` call: templates, library helpers in packaged
subcharts, NOTES.txt; a template comment that mentions lookup is not a call."""

from __future__ import annotations

from akua.packaging.generate import find_lookups
from tests.packaging.servers import chart_tgz


def test_lookup_calls_in_templates_subcharts_and_archives(tmp_path):
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: app\nversion: 1.0.0\n")
    (chart / "templates" / "secret.yaml").write_text(
        "{{/* we could call lookup here */}}\n"
        "kind: Secret\n"
        '{{- $s := (lookup "v1" "Secret" .Release.Namespace "db") }}\n'
    )
    (chart / "templates" / "NOTES.txt").write_text('{{ lookup "v1" "Pod" "" "" }}\n')
    (chart / "charts").mkdir()
    (chart / "charts" / "lib-2.0.0.tgz").write_bytes(
        chart_tgz(
            "lib",
            "2.0.0",
            {
                "Chart.yaml": b"apiVersion: v2\nname: lib\nversion: 2.0.0\ntype: library\n",
                "templates/_h.tpl": b'{{- define "lib.x" -}}\n\n{{ lookup "v1" "X" "" "" }}\n{{- end -}}\n',
            },
        )
    )
    calls = find_lookups(chart)
    assert [(str(c), c.rendered) for c in calls] == [
        ("charts/lib-2.0.0.tgz!lib/templates/_h.tpl:3", True),
        ("templates/NOTES.txt:1", False),
        ("templates/secret.yaml:3", True),
    ]
    assert calls[2].text == '{{- $s := (lookup "v1" "Secret" .Release.Namespace "db") }}'
