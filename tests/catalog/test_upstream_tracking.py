"""The check_sources schedule: new upstream versions show on the source; installations untouched."""

from __future__ import annotations

from django_q.models import Schedule

from catalog.models import Source
from catalog.tasks import SCHEDULE_NAME, check_sources
from tests.packaging.servers import GitRepo, HelmRepo


def test_the_schedule_exists(db):
    schedule = Schedule.objects.get(name=SCHEDULE_NAME)
    assert schedule.func == "catalog.tasks.check_sources"
    assert schedule.repeats == -1


def test_new_chart_versions_and_branch_commits_are_found(base, tmp_path, acme_source):
    with HelmRepo(tmp_path / "helm") as helm, GitRepo(tmp_path / "git") as git:
        helm.add("web", "1.0.0")
        git.commit({"README": "1"})
        chart = acme_source(Source.Kind.HELM_REPO, url=helm.url, chart="web")
        repo = acme_source(Source.Kind.GIT, url=git.url, git_ref="main", name="app")
        assert check_sources() == {chart.pk: [], repo.pk: []}  # the first look finds nothing "new"

        helm.add("web", "1.1.0")
        head = git.commit({"README": "2"})
        assert check_sources() == {chart.pk: ["1.1.0"], repo.pk: [head]}

    chart.refresh_from_db()
    repo.refresh_from_db()
    assert chart.upstream_versions == ["1.1.0", "1.0.0"]
    assert chart.last_checked_at is not None and chart.last_error == ""
    assert repo.upstream_commit == head


def test_an_unreachable_source_keeps_its_list_and_says_why(base, tmp_path, acme_source):
    with HelmRepo(tmp_path) as helm:
        helm.add("web", "1.0.0")
        source = acme_source(Source.Kind.HELM_REPO, url=helm.url, chart="web")
        check_sources()
    check_sources()
    source.refresh_from_db()
    assert source.upstream_versions == ["1.0.0"]
    assert source.last_error.startswith("the index of http://127.0.0.1:")
    assert "could not reach" in source.last_error
