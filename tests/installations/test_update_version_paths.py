"""The other ways to update a version: `manage.py upgrade_installation`, the admin action
"Update to the newest version of its package", and automatic updates on publish."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalog import actions as catalog_actions
from installations.models import Installation, Render
from installations.repository import Repository

from .conftest import write_package

# -- manage.py upgrade_installation ----------------------------------------------------------


def test_the_command_updates_and_prints_one_line(installation, publish, base, run_tasks, capsys):
    v2 = publish("2.0.0")
    run_tasks(
        call_command,
        "upgrade_installation",
        installation.pk,
        "--version=2.0.0",
        f"--user={base.owner.username}",
    )
    out = capsys.readouterr().out.strip()
    render = installation.renders.order_by("-generation").first()
    # (in this test the render runs after the command, when the test's transaction "commits")
    assert out == (
        f"Updated shop-prod ({installation.pk}) from shop 1.0.0 to 2.0.0; "
        f"render {render.pk} requested."
    )
    installation.refresh_from_db()
    assert installation.package_version == v2
    repo = Repository(installation.repo_path)
    assert repo.commit(repo.log()[1].sha).author.name == "Olga Owner"


@pytest.mark.parametrize(
    "args, message",
    [
        (["inst_nope", "--version=2.0.0"], "No installation 'inst_nope'."),
        (["{id}", "--version=9.9.9"], "shop has no published version '9.9.9'."),
        (["{id}", "--version=1.0.0"], "already runs shop 1.0.0"),
        (["{id}", "--version=2.0.0", "--user=nobody"], "No user 'nobody'."),
        (["{id}", "--version=3.0.0"], "shop 3.0.0 needs a value for domain"),
    ],
)
def test_the_command_explains_what_it_did_not_do(
    installation, publish, publish_needing_domain, args, message
):
    publish("2.0.0")
    publish_needing_domain("3.0.0")
    head = Repository(installation.repo_path).head()
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("upgrade_installation", *[a.format(id=installation.pk) for a in args])
    assert Repository(installation.repo_path).head() == head


@pytest.fixture
def needs_db_host(publish_needing_db_host):
    return publish_needing_db_host("2.0.0")


def test_the_command_refuses_a_new_nested_required_input_in_one_line(installation, needs_db_host):
    head = Repository(installation.repo_path).head()
    with pytest.raises(CommandError) as caught:
        call_command("upgrade_installation", installation.pk, "--version=2.0.0")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("shop 2.0.0 needs a value for db.host (new and required, no default)")
    assert Repository(installation.repo_path).head() == head


def test_the_command_takes_nested_values_with_set(
    installation, needs_db_host, base, run_tasks, capsys
):
    run_tasks(
        call_command,
        "upgrade_installation",
        installation.pk,
        "--version=2.0.0",
        "--set",
        "db.host=pg.internal",
        "--set=db.port=6543",  # a YAML scalar: an integer
        "--set=replicas=3",
    )
    assert capsys.readouterr().out.startswith(f"Updated shop-prod ({installation.pk}) from shop")
    installation.refresh_from_db()
    assert installation.package_version == needs_db_host
    repo = Repository(installation.repo_path)
    inputs = repo.read_file("inputs.yaml", repo.head()).decode()
    assert "db:\n  host: pg.internal\n  port: 6543\n" in inputs
    assert "replicas: 3\n" in inputs and "message: hi\n" in inputs
    render = installation.renders.order_by("-generation").first()
    assert render.state == Render.State.DEPLOYED


@pytest.mark.parametrize("pair", ["db.host", "=x", "db..host=x"])
def test_a_malformed_set_is_refused(installation, needs_db_host, pair):
    with pytest.raises(CommandError, match="give PATH=VALUE"):
        call_command("upgrade_installation", installation.pk, "--version=2.0.0", "--set", pair)


# -- the admin action --------------------------------------------------------------------------


def test_the_admin_action_reports_each_installation(
    installation, publish, base, admin_client, run_tasks, shop_version, install
):
    gone = install(shop_version, "shop-old")
    Installation.objects.filter(pk=gone.pk).update(state=Installation.State.DELETED)
    publish("2.0.0")
    v21 = publish("2.1.0")
    publish("3.0.0-rc.1")  # a pre-release is not "the newest version"
    url = reverse("admin:installations_installation_changelist")
    response = run_tasks(
        admin_client.post,
        url,
        {"action": "update_to_newest", "_selected_action": [installation.pk, gone.pk]},
    )
    assert response.status_code == 302
    texts = sorted(str(m) for m in get_messages(response.wsgi_request))
    assert texts[0].startswith(f"shop-old ({gone.pk}): deleted; not updated.")
    assert texts[1].startswith(
        f"shop-prod ({installation.pk}): updating shop 1.0.0 -> 2.1.0; render"
    )
    installation.refresh_from_db()
    assert installation.package_version == v21

    # Again: already there.
    response = admin_client.post(
        url, {"action": "update_to_newest", "_selected_action": [installation.pk]}
    )
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        f"shop-prod ({installation.pk}): already at the newest version 2.1.0."
    )


def test_the_admin_action_shows_why_one_could_not_move(
    installation, publish_needing_domain, admin_client
):
    publish_needing_domain("2.0.0")
    response = admin_client.post(
        reverse("admin:installations_installation_changelist"),
        {"action": "update_to_newest", "_selected_action": [installation.pk]},
    )
    (message,) = list(get_messages(response.wsgi_request))
    assert message.level_tag == "error"
    assert "not updated: shop 2.0.0 needs a value for domain" in str(message)


# -- automatic updates -------------------------------------------------------------------------


def test_publishing_a_newer_version_moves_installations_with_auto_update_on(
    installation, publish, base, run_tasks, shop_version, install
):
    manual = install(shop_version, "shop-manual")
    Installation.objects.filter(pk=installation.pk).update(auto_update=True)
    v2 = run_tasks(publish, "2.0.0")
    installation.refresh_from_db()
    manual.refresh_from_db()
    assert installation.package_version == v2
    render = installation.renders.order_by("-generation").first()
    assert (render.trigger, render.state) == (Render.Trigger.VERSION, Render.State.DEPLOYED)
    assert render.author_name == "Akua"
    assert manual.package_version == shop_version  # auto_update off: stays

    # Never backwards, never to a pre-release.
    run_tasks(publish, "1.4.2")
    run_tasks(publish, "3.0.0-rc.1")
    installation.refresh_from_db()
    assert installation.package_version == v2


def test_an_auto_update_that_cannot_be_made_is_on_the_timeline(
    installation, publish_needing_domain, run_tasks
):
    Installation.objects.filter(pk=installation.pk).update(auto_update=True)
    head = Repository(installation.repo_path).head()
    run_tasks(publish_needing_domain, "2.0.0")
    installation.refresh_from_db()
    assert installation.package_version.version == "1.0.0"
    assert Repository(installation.repo_path).head() == head
    event = installation.events.order_by("-created_at", "-id").first()
    assert event.reason.startswith("Automatic update to shop 2.0.0 not made: shop 2.0.0 needs")


def test_a_refused_publish_sends_nothing(installation, base, tmp_path, run_tasks):
    from catalog.signals import package_version_published

    sent = []
    package_version_published.connect(lambda **kw: sent.append(kw), weak=False, dispatch_uid="t")
    try:
        directory = write_package(tmp_path / "again", "1.0.0")  # 1.0.0 exists: refused
        with pytest.raises(catalog_actions.PublishError):
            run_tasks(catalog_actions.publish_package_version, base.acme, directory)
    finally:
        package_version_published.disconnect(dispatch_uid="t")
    assert sent == []
