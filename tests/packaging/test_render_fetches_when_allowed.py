"""A dependency that is not vendored is fetched from its Helm repository when fetching is allowed, then rendered."""

from __future__ import annotations

import pytest

from akua.packaging import PackagingError, render
from tests.packaging.fixture_packages import write_package
from tests.packaging.servers import HelmRepo

PROGRAM = """
    import charts.web
    resources = web.template(web.TemplateOpts {release = "shop"})
"""


@pytest.fixture
def helm_repo(tmp_path):
    repo = HelmRepo(tmp_path / "repo")
    repo.add("demo", "1.0.0")
    with repo:
        yield repo


@pytest.fixture
def package(tmp_path, helm_repo):
    dep = f'\n[dependencies.web]\nrepo = "{helm_repo.url}"\nchart = "demo"\nversion = "1.0.0"\n'
    return write_package(tmp_path / "pkg", PROGRAM, toml_extra=dep)


def test_without_fetching_it_refuses_and_touches_no_network(package, helm_repo):
    with pytest.raises(PackagingError, match="dependency web is not vendored"):
        render(package)
    assert helm_repo.requests == []


def test_with_fetching_it_vendors_then_renders(package, helm_repo):
    fetched = render(package, allow_fetch=True)
    assert fetched.resources and helm_repo.requests
    assert (package / ".akua" / "vendor" / "web" / "Chart.yaml").is_file()
    assert (package / "akua.lock").is_file()
    # from now on the vendored copy is used, offline, to the same bytes
    seen = len(helm_repo.requests)
    assert render(package).hash == fetched.hash
    assert len(helm_repo.requests) == seen
