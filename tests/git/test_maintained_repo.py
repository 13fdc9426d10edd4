"""A packed repository (Repository.maintain) clones, takes pushes and renders as before."""

from __future__ import annotations

import pytest

from installations.models import Render
from installations.repository import Repository
from tests.git.conftest import edit_inputs

pytestmark = pytest.mark.django_db(transaction=True)


def test_clone_push_and_pull_work_after_maintenance(git, shop, owner_url, tmp_path):
    repo = Repository(shop.repo_path)
    assert repo.loose_objects() > 0
    repo.maintain()
    assert repo.loose_objects() == 0

    clone = git.clone(owner_url, tmp_path / "clone")
    assert git.run("rev-parse", "HEAD", cwd=clone).stdout.strip() == repo.head()
    git.run("fsck", "--strict", cwd=clone)

    edit_inputs(clone, "replicas: 2", "replicas: 5")
    git.run("commit", "-qam", "More replicas", cwd=clone)
    git.run("push", "-q", "origin", "main", cwd=clone)
    assert shop.renders.filter(trigger=Render.Trigger.PUSH, state="deployed").count() == 1
    repo.fsck()

    repo.maintain()
    git.run("pull", "-q", "--ff-only", "origin", "main", cwd=clone)
    assert git.run("rev-parse", "HEAD", cwd=clone).stdout.strip() == repo.head()
    assert (clone / "manifests").is_dir()
    repo.fsck()
