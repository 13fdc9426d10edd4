"""A deleted installation's repository stays readable: clone and fetch work, a push is refused
with one clear message (HTTP 403, printed by git as `remote: …`), nothing changes."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request

from installations.actions import delete_installation
from installations.repository import Repository

from .conftest import edit_inputs, repo_url, token_for

MESSAGE = "this installation was deleted; its repository is read-only"


def test_clone_works_and_a_push_is_refused(git, live, shop, base, tmp_path):
    token = token_for(base.owner, base.globex)
    url = repo_url(live, shop, token)
    delete_installation(shop, user=base.owner)
    head = Repository(shop.repo_path).head()

    clone = git.clone(url, tmp_path / "clone")
    assert (clone / "inputs.yaml").is_file()
    assert git.run("rev-parse", "HEAD", cwd=clone).stdout.strip() == head
    git.run("fetch", "--quiet", cwd=clone)  # fetch too

    edit_inputs(clone, "replicas: 2", "replicas: 3")
    git.run("commit", "--quiet", "-am", "More replicas", cwd=clone)
    proc = git.run("push", "origin", "main", cwd=clone, check=False)
    assert proc.returncode != 0
    assert f"remote: {MESSAGE}" in proc.stderr
    assert Repository(shop.repo_path).head() == head
    assert shop.renders.count() == 1


def test_the_answer_is_a_403_with_the_message(live, shop, base):
    token = token_for(base.owner, base.globex)
    delete_installation(shop, user=base.owner)
    url = repo_url(live, shop, None) + "/info/refs?service=git-receive-pack"
    auth = base64.b64encode(f"x:{token}".encode()).decode()
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {auth}"})
    try:
        urllib.request.urlopen(request, timeout=30)
        raise AssertionError("a push to a deleted installation was not refused")
    except urllib.error.HTTPError as exc:
        assert exc.code == 403
        assert MESSAGE in exc.read().decode()
