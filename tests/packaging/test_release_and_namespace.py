"""A render lands where `helm install NAME -n NS` would: installation.yaml, ctx.release(),
ctx.namespace(), the chart's .Release.Name/.Release.Namespace, and `--release/--namespace`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from akua.packaging import PackagingError, render
from akua.packaging.target import TARGET_FILE, Target, parse_target, release_name
from tests.packaging.fixture_packages import CHARTS, write_package

ROOT = Path(__file__).resolve().parents[2]

CHART_PACKAGE = """
import akua.ctx
import akua.helm
import charts.hello

resources = [
    {apiVersion = "v1", kind = "ConfigMap", metadata.name = ctx.release(), data.ns = ctx.namespace()}
    *hello.template(hello.TemplateOpts {})
    *helm.template(helm.Template {chart = "upstream/hello", release = "fixed", namespace = "kept"})
]
"""


def _package(tmp_path, target: str | None = None) -> Path:
    pkg = write_package(
        tmp_path / "pkg",
        CHART_PACKAGE,
        toml_extra='\n[dependencies.hello]\npath = "upstream/hello"\n',
    )
    import shutil

    shutil.copytree(CHARTS / "hello", pkg / "upstream" / "hello")
    if target is not None:
        (pkg / TARGET_FILE).write_text(target)
    return pkg


def _where(resources) -> list[tuple[str, str, str]]:
    return [
        (r["kind"], r["metadata"]["name"], r["metadata"].get("namespace", ""))
        for r in resources
        if r["kind"] in ("ConfigMap", "Service")
    ]


def test_installation_yaml_names_the_release_and_namespace_everywhere(tmp_path):
    pkg = _package(tmp_path, "release: shop\nnamespace: team-a\n")
    resources = render(pkg).resources
    assert resources[0]["metadata"]["name"] == "shop"
    assert resources[0]["data"] == {"ns": "team-a"}
    assert ("Service", "shop-hello", "team-a") in _where(resources)
    # a package that passes its own release and namespace keeps them
    assert ("Service", "fixed-hello", "kept") in _where(resources)


def test_without_the_file_a_render_is_what_it_was(tmp_path):
    resources = render(_package(tmp_path)).resources
    assert resources[0]["metadata"]["name"] == "release"
    assert ("Service", "release-hello", "default") in _where(resources)


def test_arguments_win_over_the_file(tmp_path):
    pkg = _package(tmp_path, "release: shop\nnamespace: team-a\n")
    resources = render(pkg, release="other", namespace="ns2").resources
    assert ("Service", "other-hello", "ns2") in _where(resources)


@pytest.mark.parametrize(
    "text, message",
    [
        ("release: Shop\n", "release 'Shop' is not a Helm release name"),
        ("namespace: a_b\n", "namespace 'a_b' is not a namespace name"),
        ("release: " + "a" * 54 + "\n", "longer than 53 characters"),
        ("cluster: prod\n", "unknown key cluster; only release and namespace belong here"),
        ("- a\n", "must be a mapping"),
        ("release: [\n", "invalid YAML"),
    ],
)
def test_a_bad_file_fails_the_render_naming_it(tmp_path, text, message):
    pkg = _package(tmp_path, text)
    with pytest.raises(PackagingError) as caught:
        render(pkg)
    assert message in str(caught.value)
    assert caught.value.file.endswith(TARGET_FILE)


def test_nested_packages_land_where_their_parent_lands(tmp_path):
    write_package(
        tmp_path / "pkg" / "inner",
        """
        import akua.ctx
        resources = [{apiVersion = "v1", kind = "ConfigMap", metadata = {name = ctx.release() + "-inner", namespace = ctx.namespace()}}]
        """,
        name="inner",
    )
    pkg = write_package(
        tmp_path / "pkg",
        """
        import akua.pkg
        resources = pkg.render(pkg.Render {path = "./inner"})
        """,
        files={TARGET_FILE: "release: outer\nnamespace: here\n"},
    )
    assert render(pkg).resources[0]["metadata"] == {"name": "outer-inner", "namespace": "here"}


def test_the_command_line_takes_release_and_namespace(tmp_path):
    pkg = _package(tmp_path, "release: shop\nnamespace: team-a\n")
    proc = subprocess.run(
        [sys.executable, "-m", "akua.packaging", "render", pkg, "--stdout"]
        + ["--release", "cli", "--namespace", "from-cli"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "name: cli-hello" in proc.stdout and "namespace: from-cli" in proc.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "akua.packaging", "render", pkg, "--release", "No!"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("error: --release 'No!' is not a Helm release name")


@pytest.mark.parametrize(
    "name, release",
    [
        ("web", "web"),
        ("My Web App", "my-web-app"),
        ("  --Shop__Prod!! ", "shop-prod"),
        ("???", "release"),
        ("Ünïcode ß", "n-code"),
    ],
)
def test_release_names_are_derived_from_any_name(name, release):
    assert release_name(name) == release


def test_long_names_keep_their_beginning_and_stay_apart():
    one, two = release_name("a" * 60 + "one"), release_name("a" * 60 + "two")
    assert len(one) == 53 and len(two) == 53 and one != two
    assert one.startswith("a" * 40)
    assert release_name("a" * 60 + "one") == one  # stable


def test_the_file_akua_writes_reads_back():
    target = Target("web", "shop")
    assert parse_target(target.text()) == target
