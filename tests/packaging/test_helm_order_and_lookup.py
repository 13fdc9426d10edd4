"""Helm output as Akua's own tool orders it (template path, then document order; CRDs first), and
`lookup` as `helm template` answers it: an empty map."""

from __future__ import annotations

import shutil

from akua.packaging import render
from tests.packaging.fixture_packages import CHARTS, write_package

HELM_PROGRAM = """
    import charts.app
    resources = app.template(app.TemplateOpts {release = "hello"})
"""
HELM_DEP = '\n[dependencies.app]\npath = "./chart"\n'


def _package(tmp_path, templates: dict[str, str], *, crds: dict[str, str] | None = None):
    chart = tmp_path / "pkg" / "chart"
    shutil.copytree(CHARTS / "hello", chart)
    for name, text in templates.items():
        path = chart / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for name, text in (crds or {}).items():
        (chart / "crds").mkdir(exist_ok=True)
        (chart / "crds" / name).write_text(text)
    return write_package(chart.parent, HELM_PROGRAM, toml_extra=HELM_DEP)


def test_objects_come_in_template_path_order_as_akua_renders_them(tmp_path):
    # Akua's example 01-hello-webapp: deployment.yaml before service.yaml.
    result = render(_package(tmp_path, {}))
    assert [f.name for f in result.files] == [
        "000-configmap-hello-hello-config.yaml",
        "001-deployment-hello-hello.yaml",
        "002-service-hello-hello.yaml",
    ]


def test_documents_keep_their_order_within_a_file_and_crds_come_first(tmp_path):
    many = "".join(
        f"---\napiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\n"
        for kind, name in [("Service", "b"), ("ServiceAccount", "a"), ("Namespace", "c")]
    )
    crd = (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata:\n  name: widgets.example.com\n"
    )
    result = render(_package(tmp_path, {"zz/many.yaml": many}, crds={"widgets.yaml": crd}))
    kinds = [(r["kind"], r["metadata"]["name"]) for r in result.resources]
    assert kinds[0] == ("CustomResourceDefinition", "widgets.example.com")
    assert kinds[-3:] == [("Service", "b"), ("ServiceAccount", "a"), ("Namespace", "c")]


def test_test_hooks_and_notes_are_left_out_and_other_hooks_stay_in_place(tmp_path):
    hook = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\n"
        "  annotations:\n    helm.sh/hook: {hook}\n"
    )
    result = render(
        _package(
            tmp_path,
            {
                "tests/test-connection.yaml": hook.format(name="probe", hook="test"),
                "migrate.yaml": hook.format(name="migrate", hook="pre-install,pre-upgrade"),
                "NOTES.txt": "Installed {{ .Release.Name }}.\n",
            },
        )
    )
    names = [(r["kind"], r["metadata"]["name"]) for r in result.resources]
    assert ("Job", "probe") not in names
    assert names.index(("Job", "migrate")) == 2  # configmap, deployment, migrate, service


def test_lookup_returns_an_empty_map_as_in_helm_template(tmp_path):
    template = (
        '{{- $s := lookup "v1" "Secret" .Release.Namespace "db" }}\n'
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: found\ndata:\n"
        '  existing: {{ if $s }}"yes"{{ else }}"no"{{ end }}\n'
        "  keys: {{ len $s | quote }}\n"
    )
    notes = '{{ range (lookup "v1" "Pod" "" "").items }}{{ .metadata.name }}{{ end }}\n'
    result = render(_package(tmp_path, {"found.yaml": template, "NOTES.txt": notes}))
    found = next(r for r in result.resources if r["metadata"]["name"] == "found")
    assert found["data"] == {"existing": "no", "keys": "0"}
