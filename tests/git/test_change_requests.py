"""Pushes to review/<name> become change requests: one accepted (merged, rendered), one rejected."""

from __future__ import annotations

import pytest
from django.test import Client

from installations.models import ChangeRequest, Render
from installations.repository import Repository
from tests.git.conftest import edit_inputs

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _push_review(git, clone, name: str, old: str, new: str) -> ChangeRequest:
    git.run("checkout", "-q", "-b", name, "origin/main", cwd=clone)
    edit_inputs(clone, old, new)
    git.run("commit", "-qam", f"Change {name}", cwd=clone)
    push = git.run("push", "origin", f"HEAD:review/{name}", cwd=clone)
    assert f"change request review/{name} is waiting for review" in push.stderr
    return ChangeRequest.objects.get(branch=f"review/{name}")


def test_a_change_request_is_shown_with_its_diff_and_accepted(git, shop, base, clone):
    repo = Repository(shop.repo_path)
    main_before = repo.head()
    cr = _push_review(git, clone, "more", "replicas: 2", "replicas: 4")
    assert cr.state == ChangeRequest.State.OPEN and cr.author_name == "Pat Pusher"
    assert repo.head() == main_before  # nothing applied yet
    assert not shop.renders.filter(trigger=Render.Trigger.PUSH).exists()

    member = _client(base.member)
    page = member.get(f"/installations/{shop.pk}/changes/{cr.pk}/").content.decode()
    assert "-replicas: 2" in page and "+replicas: 4" in page  # inputs.yaml
    assert "001-deployment-shop.yaml" in page and "+  replicas: 4" in page  # manifests
    assert "Accept and render" not in page  # a plain member may not decide
    assert member.post(f"/installations/{shop.pk}/changes/{cr.pk}/accept/").status_code == 302
    cr.refresh_from_db()
    assert cr.state == ChangeRequest.State.OPEN

    source = _client(base.owner).get(f"/installations/{shop.pk}/source/").content.decode()
    assert "review/more" in source
    _client(base.owner).post(f"/installations/{shop.pk}/changes/{cr.pk}/accept/")
    cr.refresh_from_db()
    assert cr.state == ChangeRequest.State.ACCEPTED
    assert cr.decided_by == base.owner and cr.decided_at is not None
    assert cr.merge_sha == cr.head_sha  # main had not moved: a fast-forward
    render = cr.render
    render.refresh_from_db()
    assert render.state == Render.State.DEPLOYED and render.source_sha == cr.merge_sha
    assert repo.head() == render.commit_sha
    assert b"replicas: 4" in repo.read_file("manifests/001-deployment-shop.yaml")
    repo.fsck()


def test_a_change_request_behind_main_is_merged_with_a_merge_commit(git, shop, base, clone):
    repo = Repository(shop.repo_path)
    clashing = _push_review(git, clone, "msg", "message: hi", "message: hello")
    note = _push_review(git, clone, "note", "message: hi\n", "message: hi\nnote: reviewed\n")
    # main moves on meanwhile (a push to main changing the line next to "message")
    git.run("checkout", "-q", "main", cwd=clone)
    edit_inputs(clone, "replicas: 2", "replicas: 3")
    git.run("commit", "-qam", "Three", cwd=clone)
    git.run("push", "-q", "origin", "main", cwd=clone)
    vendor = _client(base.vendor)

    page = vendor.post(
        f"/installations/{shop.pk}/changes/{clashing.pk}/accept/", follow=True
    ).content.decode()
    assert "review/msg conflicts with main (inputs.yaml)" in page
    clashing.refresh_from_db()
    assert clashing.state == ChangeRequest.State.OPEN

    vendor.post(f"/installations/{shop.pk}/changes/{note.pk}/accept/")
    note.refresh_from_db()
    assert note.state == ChangeRequest.State.ACCEPTED, note
    merge = repo.commit(note.merge_sha)
    assert len(merge.parents) == 2 and merge.subject == "Merge change request review/note"
    assert merge.author.name == "Vera Vendor"
    inputs = repo.read_file("inputs.yaml").decode()
    assert "replicas: 3" in inputs and "note: reviewed" in inputs
    assert note.render.state == Render.State.SKIPPED  # `note` is used by no resource
    assert repo.head() == note.merge_sha
    repo.fsck()


def test_a_change_request_is_rejected_with_a_reason(git, shop, base, clone):
    repo = Repository(shop.repo_path)
    main_before = repo.head()
    cr = _push_review(git, clone, "big", "replicas: 2", "replicas: 5")
    owner = _client(base.owner)
    owner.post(f"/installations/{shop.pk}/changes/{cr.pk}/reject/", {"reason": ""})
    cr.refresh_from_db()
    assert cr.state == ChangeRequest.State.OPEN  # a reason is required
    owner.post(f"/installations/{shop.pk}/changes/{cr.pk}/reject/", {"reason": "Too many pods"})
    cr.refresh_from_db()
    assert (cr.state, cr.reason, cr.decided_by) == ("rejected", "Too many pods", base.owner)
    assert repo.head() == main_before
    page = owner.get(f"/installations/{shop.pk}/changes/{cr.pk}/").content.decode()
    assert "Too many pods" in page and "Accept and render" not in page

    edit_inputs(clone, "replicas: 5", "replicas: 4")
    git.run("commit", "-qam", "Fewer", cwd=clone)
    proc = git.run("push", "origin", "HEAD:review/big", cwd=clone, check=False)
    assert proc.returncode != 0 and "already decided" in proc.stderr


def test_an_invalid_change_request_is_refused_like_a_push_to_main(git, shop, clone):
    git.run("checkout", "-q", "-b", "bad", cwd=clone)
    edit_inputs(clone, "replicas: 2", "replicas: -x")
    git.run("commit", "-qam", "Bad", cwd=clone)
    proc = git.run("push", "origin", "HEAD:review/bad", cwd=clone, check=False)
    assert proc.returncode != 0 and "review/bad: inputs.yaml: replicas:" in proc.stderr
    assert not ChangeRequest.objects.exists()


def test_others_change_requests_are_404(git, shop, base, clone):
    cr = _push_review(git, clone, "x", "replicas: 2", "replicas: 3")
    outsider = _client(base.outsider)
    assert outsider.get(f"/installations/{shop.pk}/changes/{cr.pk}/").status_code == 404
    assert outsider.post(f"/installations/{shop.pk}/changes/{cr.pk}/accept/").status_code == 404


def test_an_author_longer_than_its_column_still_makes_the_change_request(git, shop, clone):
    """A commit's author is the pusher's to write; the change request keeps what fits
    (PostgreSQL refuses a longer value, after the branch was updated: a branch with no
    change request, and the push told of an internal error)."""
    name, email = "N" * 300, "e" * 300 + "@example.com"
    git.run("checkout", "-q", "-b", "long", "origin/main", cwd=clone)
    edit_inputs(clone, "message: hi", "message: long")
    git.run("commit", "-qam", "Long", f"--author={name} <{email}>", cwd=clone)
    push = git.run("push", "origin", "HEAD:review/long", cwd=clone)
    assert "change request review/long is waiting for review" in push.stderr
    cr = ChangeRequest.objects.get(branch="review/long")
    assert (cr.author_name, cr.author_email) == (name[:200], email[:200])
