"""A field the vendor locked cannot be changed by a push or a change request: the git client
prints the same message as every other door, and nothing is written."""

from __future__ import annotations

import pytest
from django.test import Client

from installations.models import ChangeRequest, FieldOverride
from installations.repository import Repository
from tests.git.conftest import edit_inputs

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = "replicas is locked by the vendor and cannot be changed."


def _lock(shop, **kwargs):
    return FieldOverride.objects.create(
        package=shop.package_version.package, field="replicas", locked=True, **kwargs
    )


def test_a_push_changing_a_locked_field_is_refused(git, shop, clone):
    _lock(shop)
    head = Repository(shop.repo_path).head()
    edit_inputs(clone, "replicas: 2", "replicas: 4")
    git.run("commit", "-qam", "More", cwd=clone)
    proc = git.run("push", "origin", "main", cwd=clone, check=False)
    assert proc.returncode != 0
    assert f"remote:   main: inputs.yaml: {MESSAGE}" in proc.stderr
    assert Repository(shop.repo_path).head() == head
    # The same push to a review branch is refused too: it could never be accepted.
    proc = git.run("push", "origin", "HEAD:review/more", cwd=clone, check=False)
    assert proc.returncode != 0 and f"review/more: inputs.yaml: {MESSAGE}" in proc.stderr


def test_other_inputs_and_the_fixed_value_go_through(git, shop, clone):
    _lock(shop, has_value=True, value=3)
    edit_inputs(clone, "replicas: 2", "replicas: 3")  # to the vendor's value
    edit_inputs(clone, "message: hi", "message: hello")
    git.run("commit", "-qam", "Fixed value", cwd=clone)
    proc = git.run("push", "origin", "main", cwd=clone, check=False)
    assert proc.returncode == 0, proc.stderr


def test_accepting_a_change_request_that_changes_a_locked_field_is_refused(git, shop, clone, base):
    git.run("checkout", "-q", "-b", "more", "origin/main", cwd=clone)
    edit_inputs(clone, "replicas: 2", "replicas: 4")
    git.run("commit", "-qam", "More", cwd=clone)
    git.run("push", "origin", "HEAD:review/more", cwd=clone)
    cr = ChangeRequest.objects.get(branch="review/more")
    _lock(shop)  # the vendor locks it while the request waits
    head = Repository(shop.repo_path).head()
    client = Client()
    client.force_login(base.owner)
    response = client.post(f"/installations/{shop.pk}/changes/{cr.pk}/accept/", follow=True)
    assert MESSAGE in response.content.decode()
    cr.refresh_from_db()
    assert cr.state == ChangeRequest.State.OPEN
    assert Repository(shop.repo_path).head() == head
