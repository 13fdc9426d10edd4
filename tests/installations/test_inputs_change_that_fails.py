"""An inputs change that fails to render: nothing committed, the reason on the installation."""

from __future__ import annotations

from installations import actions
from installations.models import Installation, Render
from installations.repository import Repository


def test_nothing_is_committed_and_the_reason_is_shown(installation, change_inputs):
    repo = Repository(installation.repo_path)
    manifests_before = repo.files(prefix="manifests")
    render = change_inputs(installation, replicas=6)

    installation.refresh_from_db()
    assert render.state == Render.State.FAILED
    assert "replicas must be at most 5" in render.error
    assert render.message.startswith("Render failed:")
    assert render.commit_sha == ""
    assert installation.state == Installation.State.FAILED
    assert "replicas must be at most 5" in installation.state_reason
    assert "/tmp" not in render.error  # file names as in the repository
    # The inputs commit is there (that is what was asked for); no render commit on top.
    assert repo.commit().subject == "Update inputs: replicas"
    assert repo.files(prefix="manifests") == manifests_before


def test_schema_errors_are_refused_before_any_commit(installation, base):
    import pytest
    from django.core.exceptions import ValidationError

    head = Repository(installation.repo_path).head()
    with pytest.raises(ValidationError) as exc:
        actions.update_inputs(installation, {"replicas": -1.5}, user=base.owner, base_sha=head)
    assert "replicas" in exc.value.message_dict
    assert Repository(installation.repo_path).head() == head
