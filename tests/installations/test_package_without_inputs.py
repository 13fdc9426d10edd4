"""A package.k without `schema Input` has no inputs: it exports an empty schema, publishes,
and installs with none (Akua's own format allows it; before, export and publish failed)."""

from __future__ import annotations

from installations.models import Render
from installations.repository import Repository
from tests.installations.conftest import write_package

PACKAGE_K = """\
resources = [{apiVersion = "v1", kind = "ConfigMap", metadata.name = "fixed", data.edition = "{version}"}]
"""


def test_it_publishes_with_an_empty_schema_and_installs_with_no_inputs(base, install, tmp_path):
    from catalog.actions import publish_package_version

    directory = write_package(tmp_path / "fixed", "1.0.0", package_k=PACKAGE_K)
    version = publish_package_version(base.acme, directory, user=base.vendor)
    assert version.input_schema == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Input",
        "type": "object",
        "properties": {},
    }

    inst = install(version, "fixed")

    render = inst.renders.get()
    assert render.state == Render.State.DEPLOYED, render.error
    repo = Repository(inst.repo_path)
    assert [e.path for e in repo.tree(prefix="manifests")] == ["manifests/000-configmap-fixed.yaml"]
