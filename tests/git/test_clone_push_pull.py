"""Clone, edit inputs.yaml, push to main, pull: the render commit lands on top of the push."""

from __future__ import annotations

import pytest

from installations.models import Render
from installations.repository import Repository
from tests.git.conftest import edit_inputs

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pushed_input_change_is_rendered_and_pulled(git, shop, owner_url, tmp_path):
    clone = git.clone(owner_url, tmp_path / "clone")
    assert (clone / "manifests").is_dir()
    edit_inputs(clone, "replicas: 2", "replicas: 3")
    git.run("commit", "-qam", "Three replicas", cwd=clone)
    pushed = git.run("rev-parse", "HEAD", cwd=clone).stdout.strip()

    push = git.run("push", "origin", "main", cwd=clone)
    assert "Akua: checks passed." in push.stderr
    assert "git pull" in push.stderr

    git.run("pull", "--ff-only", "--quiet", cwd=clone)
    log = git.run("log", "--format=%H %an %s", "-n2", cwd=clone).stdout.splitlines()
    render_sha, render_author, render_subject = log[0].split(" ", 2)
    assert render_author == "Akua" and render_subject.startswith("render sha256:")
    assert log[1].startswith(pushed)
    assert "replicas: 3" in (clone / "manifests" / "001-deployment-shop.yaml").read_text()

    render = shop.renders.get(trigger=Render.Trigger.PUSH)
    assert render.state == Render.State.DEPLOYED
    assert render.commit_sha == render_sha
    assert render.source_sha == pushed
    assert (render.author_name, render.author_email) == ("Pat Pusher", "pat@globex.example")
    Repository(shop.repo_path).fsck()


def test_hooks_are_installed_into_an_existing_repository(git, shop, owner_url, tmp_path):
    hooks = shop.repo_path / "hooks"
    for name in ("pre-receive", "post-receive"):
        (hooks / name).unlink(missing_ok=True)
    git.clone(owner_url, tmp_path / "clone")
    assert (hooks / "pre-receive").is_file() and (hooks / "post-receive").is_file()
