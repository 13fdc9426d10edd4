"""Update version: the installation page lists the package's versions newest first (current
marked); the POST moves the repository in one commit and the render runs; a refusal shows on
the page (no 500) with the chosen version and typed values kept, and nothing committed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from installations.models import Installation, Render
from installations.repository import Repository
from tests.installations.conftest import NEEDS_DB_HOST
from tests.wizard.page_post import typed


@pytest.fixture
def versions(publish, installation, publish_needing_domain):
    v2 = publish("2.0.0")
    fix = publish("1.4.2")  # published after 2.0.0: still listed below it
    v3 = publish_needing_domain("3.0.0")  # adds `domain`
    return installation.package_version, fix, v2, v3


def _url(inst) -> str:
    return reverse("installation_update_version", args=[inst.pk])


def _refused(client, user, installation, post: dict) -> str:
    """The update `user` posts is refused (400, nothing changed): the page, saying why."""
    client.force_login(user)
    response = client.post(_url(installation), post)
    assert response.status_code == 400
    return response.content.decode()


def _update_answering(client, installation, version, answers: dict, run_tasks) -> str:
    """The update to `version` posted with `answers` ({input path: text}) in the fields of
    its new inputs, tasks inline: it goes through. inputs.yaml as it was committed."""
    response = run_tasks(client.post, _url(installation), typed(answers, version=version.pk))
    assert response.status_code == 302
    installation.refresh_from_db()
    assert installation.package_version == version
    repo = Repository(installation.repo_path)
    return repo.read_file("inputs.yaml", repo.head()).decode()


def _options(html: str) -> list[str]:
    form = html[html.index('id="update-version"') :]
    return [
        re.sub(r"\s+", " ", o).strip() for o in re.findall(r"<option[^>]*>([^<]*)</option>", form)
    ]


def test_the_page_lists_the_versions_newest_first_with_the_current_one_marked(
    client, base, installation, versions
):
    client.force_login(base.member)
    html = client.get(reverse("installation", args=[installation.pk])).content.decode()
    assert _options(html) == ["3.0.0", "2.0.0", "1.4.2", "1.0.0 (current)"]


def test_people_who_cannot_change_it_get_no_form_and_nothing_changes(
    client, base, installation, versions
):
    client.force_login(base.vendor_member)
    assert (
        'id="update-version"'
        not in client.get(reverse("installation", args=[installation.pk])).content.decode()
    )
    for person, status in ((base.vendor_member, 403), (base.outsider, 404)):
        client.force_login(person)
        assert client.post(_url(installation), {"version": versions[2].pk}).status_code == status
    installation.refresh_from_db()
    assert installation.package_version == versions[0]


def test_updating_commits_once_renders_and_goes_back_to_the_page(
    client, base, installation, versions, run_tasks
):
    v1, _, v2, _ = versions
    client.force_login(base.owner)
    response = run_tasks(client.post, _url(installation), {"version": v2.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("installation", args=[installation.pk])
    installation.refresh_from_db()
    assert installation.package_version == v2
    render = installation.renders.order_by("-generation").first()
    assert render.trigger == Render.Trigger.VERSION
    assert render.state == Render.State.DEPLOYED
    repo = Repository(installation.repo_path)
    subjects = [c.subject for c in repo.log()[:2]]
    assert subjects[1] == "Update package shop 1.0.0 -> 2.0.0"
    assert b"replicas: 2" in repo.read_file("inputs.yaml", repo.head())  # carried over
    page = client.get(response["Location"]).content.decode()
    assert "Updating to shop 2.0.0" in page
    assert "2.0.0 (current)" in " ".join(_options(page))


def test_a_new_required_input_stops_it_and_the_form_keeps_the_choice(
    client, base, installation, versions, run_tasks
):
    v3 = versions[3]
    head = Repository(installation.repo_path).head()
    html = _refused(client, base.owner, installation, {"version": v3.pk})
    assert "shop 3.0.0 needs a value for domain (new and required, no default)" in html
    assert "Nothing was changed" in html
    assert f'<option value="{v3.pk}" selected>' in html
    assert 'name="f.domain"' in html  # a field to answer it (the wizard's)
    assert Repository(installation.repo_path).head() == head  # nothing committed

    # The answer typed into that field goes with the update.
    inputs = _update_answering(client, installation, v3, {"domain": "shop.example"}, run_tasks)
    assert "domain: shop.example" in inputs


@pytest.mark.parametrize("version", ["", "pv_nope", "'; drop table"])
def test_a_bad_version_gives_a_message_not_a_500(client, base, installation, versions, version):
    html = _refused(client, base.owner, installation, {"version": version})
    assert "Choose a published version of shop" in html


def test_the_version_it_runs_is_refused_with_a_message(client, base, installation, versions):
    html = _refused(client, base.owner, installation, {"version": versions[0].pk})
    assert "already runs shop 1.0.0" in html


def test_a_deleted_installation_cannot_be_updated(client, base, installation, versions):
    Installation.objects.filter(pk=installation.pk).update(state=Installation.State.DELETED)
    client.force_login(base.owner)
    assert client.post(_url(installation), {"version": versions[2].pk}).status_code == 404
    html = client.get(reverse("installation", args=[installation.pk])).content.decode()
    assert 'id="update-version"' not in html


def test_a_new_nested_required_input_gets_a_field_and_its_answer_goes_nested(
    client, base, installation, publish_needing_db_host, run_tasks
):
    v2 = publish_needing_db_host("2.0.0")
    head = Repository(installation.repo_path).head()

    html = _refused(client, base.owner, installation, {"version": v2.pk})
    assert "shop 2.0.0 needs a value for db.host (new and required, no default)" in html
    assert 'name="f.db.host"' in html  # a field for the nested input
    assert '<label for="f-db--host">Db › Host' in html  # its objects' labels and its own
    assert "Where the database listens." in html  # its description as help
    assert Repository(installation.repo_path).head() == head

    inputs = _update_answering(client, installation, v2, {"db.host": "pg.internal"}, run_tasks)
    render = installation.renders.order_by("-generation").first()
    assert render.state == Render.State.DEPLOYED
    repo = Repository(installation.repo_path)
    assert "db:\n  host: pg.internal\n" in inputs  # nested, not a key "db.host"
    assert "replicas: 2" in inputs  # carried over
    manifests = b"".join(
        repo.read_file(e.path, repo.head())
        for e in repo.tree(repo.head())
        if e.path.startswith("manifests/")
    )
    assert b"pg.internal:5432" in manifests


def test_nested_fields_take_label_help_and_type_from_the_schema(
    client, base, installation, publish_with_example
):
    package_k = NEEDS_DB_HOST.replace(
        "    port: int = 5432\n",
        '    port: int\n    sslmode: "disable" | "require"\n    pooled: bool\n',
    ).replace("    host: str\n", '    @ui(label="Database host")\n    host: str\n')
    v2 = publish_with_example(
        "2.0.0", package_k, "db: {host: h, port: 1, sslmode: disable, pooled: true}\n"
    )
    html = _refused(client, base.owner, installation, typed({"db.port": "5433"}, version=v2.pk))
    assert '<label for="f-db--host">Db › Database host' in html  # x-ui.label
    assert 'inputmode="numeric" id="f-db--port" name="f.db.port" value="5433"' in html
    assert 'name="f.db.sslmode" value="&quot;require&quot;"' in html  # a choice, as a radio
    assert 'type="checkbox" id="f-db--pooled" name="f.db.pooled"' in html
    assert "hx-post" not in html[html.index('id="update-version"') :]  # plain fields here
