"""The manifests diff between two renders, per file."""

from __future__ import annotations

import pytest

from installations import actions
from installations.diffs import DiffError, diff_renders


def test_it_shows_the_changed_lines_per_file(installation, change_inputs):
    first = installation.renders.get()
    second = change_inputs(installation, replicas=4)

    diff = diff_renders(first, second)
    assert [(f.name, f.status) for f in diff.files] == [("001-deployment-shop.yaml", "changed")]
    lines = diff.files[0].lines
    assert ("del", "  replicas: 2") in [(line.kind, line.text) for line in lines]
    assert ("add", "  replicas: 4") in [(line.kind, line.text) for line in lines]
    assert diff.unchanged == 1
    assert (diff.additions, diff.deletions) == (1, 1)
    assert "+  replicas: 4" in diff.files[0].unified


def test_added_and_removed_files(installation, base, publish, run_tasks):
    from tests.installations.conftest import PACKAGE_K

    extra = PACKAGE_K.replace(
        "resources = [",
        'resources = [\n    {apiVersion = "v1", kind = "Service", metadata.name = "shop", spec.ports = [{port = 80}]}',
    )
    v2 = publish("2.0.0", package_k=extra)
    first = installation.renders.get()
    second = run_tasks(actions.upgrade_installation, installation, v2, user=base.vendor)
    second.refresh_from_db()
    statuses = {f.name: f.status for f in diff_renders(first, second).files}
    assert statuses["000-service-shop.yaml"] == "added"
    assert statuses["000-configmap-shop.yaml"] == "removed"
    reverse = {f.name: f.status for f in diff_renders(second, first).files}
    assert reverse["000-service-shop.yaml"] == "removed"


def test_a_failed_render_has_nothing_to_compare(installation, change_inputs):
    failed = change_inputs(installation, replicas=6)
    with pytest.raises(DiffError, match="no manifests to compare"):
        diff_renders(installation.renders.get(state="deployed"), failed)
