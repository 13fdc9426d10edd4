"""Pushing hostile YAML: inputs.yaml and installation.yaml are read by the server process
itself (push checks), so an alias bomb, an alias that contains itself or nesting a parser
recurses into must be a refusal on a `remote:` line, never a hung or dead web worker.

Before the fix, the alias bomb below (a 5 KiB file that expands to 10^9 strings) hung the
push check while it turned the inputs into JSON for the render, the self-referencing
alias was accepted by the parser and then looped, and 1,000 levels of nesting raised
RecursionError out of the YAML parser.
"""

from __future__ import annotations

import pytest

from installations.repository import Repository
from tests.git.test_push_hostile_package import _answers_200
from tests.hostile_yaml import DEEP, LOOP, bomb_yaml

pytestmark = pytest.mark.django_db(transaction=True)


HOSTILE = {
    "alias bomb": (bomb_yaml(), "aliases make it expand to more than"),
    "alias loop": (LOOP, "an alias refers to a value that holds it"),
    "deep nesting": (DEEP, "nested too deeply"),
}


@pytest.mark.parametrize("filename", ["inputs.yaml", "installation.yaml"])
def test_each_hostile_yaml_push_is_refused_and_the_server_stays_up(
    git, shop, owner_url, live, tmp_path, filename
):
    clone = git.clone(owner_url, tmp_path / "clone")
    before = Repository(shop.repo_path).head()
    refs_url = owner_url + "/info/refs?service=git-upload-pack"
    original = (clone / filename).read_text()
    for name, (text, reason) in HOSTILE.items():
        (clone / filename).write_text(original + text)
        git.run("commit", "-qam", f"Hostile: {name}", cwd=clone)
        proc = git.run("push", "origin", "main", cwd=clone, check=False)
        assert proc.returncode != 0, (name, proc.stderr)
        line = next(x for x in proc.stderr.splitlines() if x.startswith("remote:   main: "))
        assert filename in line and reason in line, (name, proc.stderr)
        assert "Traceback" not in proc.stderr and "RecursionError" not in proc.stderr
        assert _answers_200(refs_url) == 200, name
        git.run("reset", "-q", "--hard", "origin/main", cwd=clone)
    assert Repository(shop.repo_path).head() == before
