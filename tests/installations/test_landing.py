"""Where an installation lands lives in its repository: installation.yaml, written when it is
created (release from its name), read by every render, kept by updates, written for
installations made before it existed; a deleted installation's name can be used again."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from installations.actions import (
    delete_installation,
    request_render,
    upgrade_installation,
)
from installations.actions.head import repository
from installations.landing import TARGET_FILE, target_at
from installations.models import Installation, Render
from installations.repository import AKUA


def test_a_new_installation_records_its_release_and_namespace(shop_version, install):
    inst = install(shop_version, "Shop Prod", namespace="shop")
    repo = repository(inst)
    text = repo.read_file(TARGET_FILE).decode()
    assert "release: shop-prod\nnamespace: shop\n" in text
    assert text.startswith("# Where this installation lands")
    assert repo.log()[1].subject == "Set inputs"
    assert {e.path for e in repo.tree(repo.log()[1].sha)} >= {"inputs.yaml", TARGET_FILE}
    assert inst.namespace == "shop"


def test_without_a_namespace_it_is_named_after_the_release(shop_version, install):
    inst = install(shop_version, "Shop Prod")
    target = target_at(inst, repository(inst), repository(inst).head())
    assert (target.release, target.namespace) == ("shop-prod", "shop-prod")
    assert inst.namespace == "shop-prod"


def test_the_render_reads_it(base, install, publish):
    version = publish(
        "1.0.0",
        package_k="import akua.ctx\n\nschema Input:\n    replicas: int = 1\n\ninput: Input = ctx.input()\n\n"
        'resources = [{apiVersion = "v1", kind = "ConfigMap", metadata = {name = ctx.release(), '
        "namespace = ctx.namespace()}}]\n",
    )
    inst = install(version, "Web", namespace="team-a")
    manifest = repository(inst).read_file("manifests/000-configmap-web.yaml").decode()
    assert "name: web\n" in manifest and "namespace: team-a\n" in manifest


def test_a_bad_namespace_is_refused_before_anything_is_created(install, shop_version):
    with pytest.raises(ValidationError) as caught:
        install(shop_version, "x", namespace="Not_A_Namespace")
    assert "Namespace 'Not_A_Namespace' is not a namespace name" in str(caught.value)
    assert not Installation.objects.exists()


def test_an_installation_made_before_the_file_gets_it_at_its_next_render(
    installation, run_tasks, base
):
    repo = repository(installation)
    head = repo.head()
    repo.commit_files({TARGET_FILE: None}, "as before the file existed", author=AKUA, parent=head)

    run_tasks(request_render, installation, trigger=Render.Trigger.MANUAL, user=base.owner)
    subjects = [c.subject for c in repo.log(limit=3)]
    assert (
        "Record where this installation lands: release shop-prod, namespace shop-prod" in subjects
    )
    assert b"release: shop-prod" in repo.read_file(TARGET_FILE)


def test_an_update_keeps_it(installation, publish, run_tasks, base):
    repo = repository(installation)
    before = repo.read_file(TARGET_FILE)
    newer = publish("1.1.0")
    run_tasks(upgrade_installation, installation, newer, user=base.owner)
    assert repo.read_file(TARGET_FILE) == before


def test_a_deleted_installations_name_can_be_used_again(shop_version, install, base):
    first = install(shop_version, "shop-prod")
    delete_installation(first, user=base.owner)
    again = install(shop_version, "shop-prod")
    assert again.pk != first.pk and again.name == first.name
    assert again.repo_path != first.repo_path
    first.refresh_from_db()
    assert first.state == "deleted"
    with pytest.raises(ValidationError, match="already has an installation named shop-prod"):
        install(shop_version, "shop-prod")
