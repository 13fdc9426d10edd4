"""Refused pushes: one `remote:` line per problem, and the repository is left as it was."""

from __future__ import annotations

import pytest

from installations.repository import Repository
from tests.git.conftest import edit_inputs

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clone(git, owner_url, tmp_path):
    return git.clone(owner_url, tmp_path / "clone")


def _refs(shop) -> dict[str, str]:
    out = Repository(shop.repo_path)._out("for-each-ref", "--format=%(refname) %(objectname)")
    return dict(line.split() for line in out.splitlines())


def _push_refused(git, clone, *args) -> str:
    proc = git.run("push", "origin", *args, cwd=clone, check=False)
    assert proc.returncode != 0, proc.stderr
    return proc.stderr


def test_an_invalid_value_is_refused_with_the_fields_message(git, shop, clone):
    before = _refs(shop)
    edit_inputs(clone, "replicas: 2", "replicas: many")
    git.run("commit", "-qam", "Oops", cwd=clone)
    err = _push_refused(git, clone, "main")
    assert "remote: Akua: push refused" in err
    assert "remote:   main: inputs.yaml: replicas: Enter an integer." in err
    assert "pre-receive hook declined" in err
    assert _refs(shop) == before
    assert shop.renders.filter(trigger="push").count() == 0


def test_a_tree_that_does_not_render_is_refused(git, shop, clone):
    before = _refs(shop)
    edit_inputs(clone, "replicas: 2", "replicas: 6")  # valid JSON Schema, the KCL check says no
    git.run("commit", "-qam", "Six", cwd=clone)
    err = _push_refused(git, clone, "main")
    assert "main: does not render:" in err
    assert "replicas must be at most 5" in err
    assert _refs(shop) == before


def test_a_push_touching_manifests_is_refused(git, shop, clone):
    before = _refs(shop)
    manifest = clone / "manifests" / "000-configmap-shop.yaml"
    manifest.write_text(manifest.read_text() + "# hand edit\n")
    git.run("commit", "-qam", "Hand edit", cwd=clone)
    err = _push_refused(git, clone, "main")
    assert "manifests/ is written by Akua and may not be edited by hand" in err
    assert "manifests/000-configmap-shop.yaml" in err
    assert _refs(shop) == before


def test_every_problem_gets_its_own_line(git, shop, clone):
    edit_inputs(clone, "replicas: 2", "replicas: many")
    (clone / "manifests" / "000-configmap-shop.yaml").write_text("kind: Nope\n")
    git.run("commit", "-qam", "Two problems", cwd=clone)
    err = _push_refused(git, clone, "main")
    lines = [line for line in err.splitlines() if line.startswith("remote:   main:")]
    assert len(lines) == 2, err


def test_a_force_push_is_refused(git, shop, clone):
    before = _refs(shop)
    git.run("reset", "-q", "--hard", "HEAD~1", cwd=clone)
    edit_inputs(clone, "replicas: 2", "replicas: 3")
    git.run("commit", "-qam", "Rewrite history", cwd=clone)
    err = _push_refused(git, clone, "--force", "main")
    assert "force-pushes are not allowed" in err
    assert _refs(shop) == before


def test_deleting_a_branch_and_other_branches_are_refused(git, shop, clone):
    before = _refs(shop)
    assert "only 'main'" in _push_refused(git, clone, "HEAD:refs/heads/feature")
    assert "only branches" in _push_refused(git, clone, "HEAD:refs/tags/v1")
    assert "deleting branches is not allowed" in _push_refused(git, clone, ":main")
    assert _refs(shop) == before
    Repository(shop.repo_path).fsck()


def test_a_key_set_twice_is_refused_with_its_line(git, shop, clone):
    before = _refs(shop)
    inputs = clone / "inputs.yaml"
    inputs.write_text(inputs.read_text() + "replicas: 4\n")
    git.run("commit", "-qam", "Twice", cwd=clone)
    err = _push_refused(git, clone, "main")
    assert "replicas is set twice; keep one of the two" in err
    assert "yaml.dev" not in err  # no library boilerplate in the person's terminal
    assert _refs(shop) == before
