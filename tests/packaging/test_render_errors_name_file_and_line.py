"""Every way a render can fail comes back as one PackagingError naming the file (and line) at fault."""

from __future__ import annotations

import shutil

import pytest

from akua.packaging import PackagingError, render
from tests.packaging.fixture_packages import CHARTS, write_package

CONFIGMAP = '{apiVersion = "v1", kind = "ConfigMap", metadata.name = "x"}'


def _error(pkg, inputs=None) -> PackagingError:
    with pytest.raises(PackagingError) as err:
        render(pkg, inputs)
    text = str(err.value)
    assert "\n" not in text
    return err.value


def _chart(tmp_path, templates: dict[str, str]):
    chart = tmp_path / "pkg" / "chart"
    shutil.copytree(CHARTS / "hello", chart)
    for name, text in templates.items():
        (chart / "templates" / name).write_text(text)
    return chart


HELM_PROGRAM = """
    import charts.app
    resources = app.template()
"""
HELM_DEP = '\n[dependencies.app]\npath = "./chart"\n'


def test_a_program_without_resources(tmp_path):
    err = _error(write_package(tmp_path, "x = 1\n"))
    assert "must set a top-level `resources` list" in err.message
    assert err.file.endswith("package.k")


def test_resources_that_are_not_a_list(tmp_path):
    err = _error(write_package(tmp_path, "a = 1\nresources = {a = 1}\n"))
    assert "`resources` must be a list" in err.message
    assert (err.file.endswith("package.k"), err.line) == (True, 2)


def test_a_resource_that_is_not_a_mapping(tmp_path):
    err = _error(write_package(tmp_path, f'resources = [{CONFIGMAP}, "oops"]\n'))
    assert "resources[1] must be a mapping" in err.message
    assert err.line == 1


def test_a_failing_check_block_names_the_check(tmp_path):
    pkg = write_package(
        tmp_path,
        """
        import akua.ctx
        schema Input:
            replicas: int = 2
            check:
                replicas >= 1, "replicas must be at least 1"
        input: Input = ctx.input()
        resources = []
        """,
    )
    err = _error(pkg, {"replicas": 0})
    assert err.message == "check failed: replicas must be at least 1"
    assert err.file == str(pkg / "package.k")
    assert err.line == 5


def test_a_kcl_syntax_error(tmp_path):
    pkg = write_package(tmp_path, "a = 1\nresources = [\n")
    err = _error(pkg)
    assert err.file == str(pkg / "package.k")
    assert err.line == 2


def test_a_kcl_type_error_in_the_inputs(tmp_path):
    pkg = write_package(
        tmp_path,
        "import akua.ctx\nschema Input:\n    n: int = 1\ninput: Input = ctx.input()\nresources = []\n",
    )
    err = _error(pkg, {"n": "many"})
    assert err.message == "expect int, got str"
    assert (err.file, err.line) == (str(pkg / "package.k"), 3)


def test_a_helm_template_error_names_the_chart_template(tmp_path):
    chart = _chart(tmp_path, {"broken.yaml": 'a: 1\n{{ fail "the chart is unhappy" }}\n'})
    err = _error(write_package(chart.parent, HELM_PROGRAM, toml_extra=HELM_DEP))
    assert "the chart is unhappy" in err.message
    assert (err.file, err.line) == (str(chart / "templates" / "broken.yaml"), 2)


def test_an_unknown_dependency_alias(tmp_path):
    pkg = write_package(
        tmp_path, "import akua.ctx\nimport charts.nope\nresources = nope.template()\n"
    )
    err = _error(pkg)
    assert "unknown dependency 'nope'" in err.message
    assert (err.file, err.line) == (str(pkg / "package.k"), 2)


def test_an_unknown_alias_in_pkg_render(tmp_path):
    pkg = write_package(
        tmp_path, 'import akua.pkg\nresources = pkg.render(pkg.Render {package = "ghost"})\n'
    )
    err = _error(pkg)
    assert "no dependency 'ghost'" in err.message
    assert err.file.endswith("akua.toml")


def test_a_chart_imported_as_a_package(tmp_path):
    _chart(tmp_path, {})
    pkg = write_package(
        tmp_path / "pkg", "import pkgs.app\nresources = app.render()\n", toml_extra=HELM_DEP
    )
    err = _error(pkg)
    assert "import it as charts.app" in err.message


def test_a_missing_path_dependency(tmp_path):
    pkg = write_package(
        tmp_path, "resources = []\n", toml_extra='\n[dependencies.gone]\npath = "./nowhere"\n'
    )
    err = _error(pkg)
    assert "path ./nowhere does not exist" in err.message
