"""Pushes and sensitive inputs: a plain value or an unknown marker in inputs.yaml is refused."""

from __future__ import annotations

import pytest

from catalog.actions import publish_package_version
from installations.models import SensitiveInput
from installations.repository import Repository
from tests.git.conftest import edit_inputs, repo_url, token_for
from tests.installations.conftest import SECRET_PACKAGE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_inst(base, live, transactional_db, install, sensitive):
    version = publish_package_version(base.acme, SECRET_PACKAGE, user=base.vendor)
    inst = install(version, "db-prod", inputs={"password": sensitive.password})
    assert inst.renders.filter(state="deployed").exists()
    return inst


@pytest.fixture
def clone(git, live, db_inst, base, tmp_path):
    return git.clone(repo_url(live, db_inst, token_for(base.owner, base.globex)), tmp_path / "c")


def _marker(inst) -> str:
    return SensitiveInput.objects.get(installation=inst, path="password").marker


def _push(git, clone):
    return git.run("push", "origin", "main", cwd=clone, check=False)


def test_a_plain_value_is_refused_with_the_way_to_set_it(git, db_inst, clone, sensitive):
    head = Repository(db_inst.repo_path).head()
    edit_inputs(clone, _marker(db_inst), sensitive.pushed)
    git.run("commit", "-qam", "Plain password", cwd=clone)
    proc = _push(git, clone)
    assert proc.returncode != 0
    lines = [line.rstrip() for line in proc.stderr.splitlines() if "password is sensitive" in line]
    assert lines == [
        "remote:   main: inputs.yaml: password is sensitive and may not be pushed as a plain "
        "value; remove it from your commits and set it with the wizard or "
        f"`manage.py set_secret_input {db_inst.pk} password --stdin` (inputs.yaml then holds "
        "its marker; git pull)."
    ]
    assert sensitive.pushed not in proc.stderr
    assert Repository(db_inst.repo_path).head() == head


def test_a_plain_value_in_an_earlier_pushed_commit_is_refused_too(git, db_inst, clone, sensitive):
    head = Repository(db_inst.repo_path).head()
    marker = _marker(db_inst)
    edit_inputs(clone, marker, sensitive.pushed)
    git.run("commit", "-qam", "Plain password", cwd=clone)
    edit_inputs(clone, sensitive.pushed, marker)
    git.run("commit", "-qam", "Put the marker back", cwd=clone)
    proc = _push(git, clone)
    assert proc.returncode != 0
    assert "main: inputs.yaml at " in proc.stderr and "password is sensitive" in proc.stderr
    assert Repository(db_inst.repo_path).head() == head


def test_a_marker_without_a_stored_value_is_refused(git, db_inst, clone):
    edit_inputs(clone, _marker(db_inst), "akua-secret:sha256:0123456789ab")
    git.run("commit", "-qam", "Made-up marker", cwd=clone)
    proc = _push(git, clone)
    assert proc.returncode != 0
    assert (
        "remote:   main: inputs.yaml: password refers to a secret that is not set; set it with "
        f"the wizard or `manage.py set_secret_input {db_inst.pk} password --stdin`"
    ) in proc.stderr


def test_other_changes_with_the_marker_kept_are_accepted_and_rendered(git, db_inst, clone):
    inputs = clone / "inputs.yaml"
    inputs.write_text(inputs.read_text() + "name: db2\n")
    git.run("commit", "-qam", "Rename", cwd=clone)
    proc = _push(git, clone)
    assert proc.returncode == 0, proc.stderr
    render = db_inst.renders.filter(trigger="push").get()
    assert render.state == "deployed", render.error
