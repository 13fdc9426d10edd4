"""installation.yaml over git: a push may change the namespace (a move, rendered like any
change), may not delete the file, and a bad value is refused with the file and line."""

from __future__ import annotations

import pytest

from installations.models import Installation

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_push_may_change_the_namespace(git, shop, clone):
    path = clone / "installation.yaml"
    text = path.read_text()
    assert "namespace: shop-prod\n" in text
    path.write_text(text.replace("namespace: shop-prod", "namespace: staging"))
    git.run("commit", "-qam", "Land in staging", cwd=clone)
    git.run("push", "-q", "origin", "main", cwd=clone)
    shop.refresh_from_db()
    assert shop.namespace == "staging"
    assert shop.renders.filter(trigger="push").exists()


def test_a_push_may_not_delete_it(git, shop, clone):
    git.run("rm", "-q", "installation.yaml", cwd=clone)
    git.run("commit", "-qm", "No more", cwd=clone)
    proc = git.run("push", "origin", "main", cwd=clone, check=False)
    assert proc.returncode != 0
    assert "installation.yaml says where this installation lands" in proc.stderr
    assert Installation.objects.get(pk=shop.pk).namespace == "shop-prod"


def test_a_bad_value_is_refused_naming_the_file_and_line(git, shop, clone):
    path = clone / "installation.yaml"
    path.write_text(path.read_text().replace("namespace: shop-prod", "namespace: Staging!"))
    git.run("commit", "-qam", "Oops", cwd=clone)
    proc = git.run("push", "origin", "main", cwd=clone, check=False)
    assert proc.returncode != 0
    assert "does not render: installation.yaml:4: namespace 'Staging!' is not" in " ".join(
        line.removeprefix("remote:").strip() for line in proc.stderr.splitlines()
    )
