"""Without explicit inputs, inputs.yaml wins over inputs.example.yaml, and no file means no inputs."""

from __future__ import annotations

import pytest

from akua.packaging import PackagingError, render
from tests.packaging.fixture_packages import write_package

PROGRAM = """
    import akua.ctx
    schema Input:
        who: str = "default"
    input: Input = ctx.input()
    resources = [{apiVersion = "v1", kind = "ConfigMap", metadata.name = input.who}]
"""


def _name(result) -> str:
    return result.resources[0]["metadata"]["name"]


def test_it_prefers_inputs_yaml(tmp_path):
    pkg = write_package(
        tmp_path,
        PROGRAM,
        files={"inputs.yaml": "who: real\n", "inputs.example.yaml": "who: example\n"},
    )
    assert _name(render(pkg)) == "real"


def test_it_falls_back_to_inputs_example_yaml(tmp_path):
    pkg = write_package(tmp_path, PROGRAM, files={"inputs.example.yaml": "who: example\n"})
    assert _name(render(pkg)) == "example"


def test_it_renders_with_no_inputs_when_neither_file_exists(tmp_path):
    assert _name(render(write_package(tmp_path, PROGRAM))) == "default"


def test_explicit_inputs_win_over_files(tmp_path):
    pkg = write_package(tmp_path, PROGRAM, files={"inputs.yaml": "who: real\n"})
    assert _name(render(pkg, {"who": "given"})) == "given"


def test_it_refuses_an_inputs_file_that_is_not_a_mapping(tmp_path):
    pkg = write_package(tmp_path, PROGRAM, files={"inputs.yaml": "- a\n- b\n"})
    with pytest.raises(PackagingError) as err:
        render(pkg)
    assert err.value.file.endswith("inputs.yaml")
