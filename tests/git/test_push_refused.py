"""Refused pushes: one `remote:` line per problem, and the repository is left as it was."""

from __future__ import annotations

import pytest

from installations.repository import Repository
from tests.git.conftest import edit_inputs

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_invalid_value_is_refused_with_the_fields_message(git, shop, clone, refused):
    edit_inputs(clone, "replicas: 2", "replicas: many")
    git.run("commit", "-qam", "Oops", cwd=clone)
    err = refused()
    assert "remote: Akua: push refused" in err
    assert "remote:   main: inputs.yaml: replicas: Enter an integer." in err
    assert "pre-receive hook declined" in err
    assert shop.renders.filter(trigger="push").count() == 0


def test_a_tree_that_does_not_render_is_refused(git, shop, clone, refused):
    edit_inputs(clone, "replicas: 2", "replicas: 6")  # valid JSON Schema, the KCL check says no
    git.run("commit", "-qam", "Six", cwd=clone)
    err = refused()
    assert "main: does not render:" in err
    assert "replicas must be at most 5" in err


def test_a_push_touching_manifests_is_refused(git, shop, clone, refused):
    manifest = clone / "manifests" / "000-configmap-shop.yaml"
    manifest.write_text(manifest.read_text() + "# hand edit\n")
    git.run("commit", "-qam", "Hand edit", cwd=clone)
    err = refused()
    assert "manifests/ is written by Akua and may not be edited by hand" in err
    assert "manifests/000-configmap-shop.yaml" in err


def test_every_problem_gets_its_own_line(git, shop, clone, refused):
    edit_inputs(clone, "replicas: 2", "replicas: many")
    (clone / "manifests" / "000-configmap-shop.yaml").write_text("kind: Nope\n")
    git.run("commit", "-qam", "Two problems", cwd=clone)
    err = refused()
    lines = [line for line in err.splitlines() if line.startswith("remote:   main:")]
    assert len(lines) == 2, err


def test_a_force_push_is_refused(git, shop, clone, refused):
    git.run("reset", "-q", "--hard", "HEAD~1", cwd=clone)
    edit_inputs(clone, "replicas: 2", "replicas: 3")
    git.run("commit", "-qam", "Rewrite history", cwd=clone)
    err = refused("--force", "main")
    assert "force-pushes are not allowed" in err


def test_deleting_a_branch_and_other_branches_are_refused(git, shop, clone, refused):
    assert "only 'main'" in refused("HEAD:refs/heads/feature")
    assert "only branches" in refused("HEAD:refs/tags/v1")
    assert "deleting branches is not allowed" in refused(":main")
    Repository(shop.repo_path).fsck()


def test_a_key_set_twice_is_refused_with_its_line(git, shop, clone, refused):
    inputs = clone / "inputs.yaml"
    inputs.write_text(inputs.read_text() + "replicas: 4\n")
    git.run("commit", "-qam", "Twice", cwd=clone)
    err = refused()
    assert "replicas is set twice; keep one of the two" in err
    assert "yaml.dev" not in err  # no library boilerplate in the person's terminal
