"""`python -m akua.packaging`: render, export, vendor; failures are one line and a non-zero status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from akua.packaging import render
from tests.packaging.fixture_packages import PACKAGES, write_package

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "akua.packaging", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_render_writes_manifests_and_prints_the_hash_then_the_files(tmp_path):
    proc = run("render", PACKAGES / "pure-kcl", "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == render(PACKAGES / "pure-kcl").hash
    assert [Path(line).name for line in lines[1:]] == [
        "000-configmap-demo-index.yaml",
        "001-deployment-demo.yaml",
    ]
    assert (tmp_path / "out" / "001-deployment-demo.yaml").is_file()


def test_render_defaults_to_a_manifests_directory_in_the_package(tmp_path):
    pkg = write_package(
        tmp_path / "pkg",
        'resources = [{apiVersion = "v1", kind = "ConfigMap", metadata.name = "a"}]\n',
    )
    assert run("render", pkg).returncode == 0
    assert (pkg / "manifests" / "000-configmap-a.yaml").is_file()


def test_render_reads_the_inputs_file_given(tmp_path):
    inputs = tmp_path / "in.yaml"
    inputs.write_text("name: cli\n")
    proc = run("render", PACKAGES / "pure-kcl", "--inputs", inputs, "--stdout")
    assert proc.returncode == 0, proc.stderr
    assert "name: cli-index" in proc.stdout


def test_export_prints_the_json_schema():
    proc = run("export", PACKAGES / "ui-export")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["properties"]["name"]["x-ui"]["group"] == "Identity"


def test_a_failing_render_exits_non_zero_with_one_error_line(tmp_path):
    pkg = write_package(tmp_path / "pkg", "resources = [\n")
    proc = run("render", pkg)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"error: {pkg / 'package.k'}:1")
    assert "Traceback" not in proc.stderr


def test_a_missing_directory_is_one_line_too(tmp_path):
    for command in ("render", "export"):
        proc = run(command, tmp_path / "nope")
        assert proc.returncode == 1
        assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1


def test_a_failing_check_reports_the_check(tmp_path):
    inputs = tmp_path / "in.yaml"
    inputs.write_text("replicas: 0\n")
    proc = run("render", PACKAGES / "pure-kcl", "--inputs", inputs, "--out", tmp_path / "out")
    assert proc.returncode == 1
    assert proc.stderr.strip().endswith("check failed: replicas must be at least 1")
