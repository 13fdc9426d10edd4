"""A live Akua and the real `git` client: the `shop` installation of globex, tokens, clones.

Renders run inline (django-q2 sync mode) inside the live server's request thread, so when
`git push` returns, the render commit is already on `main`.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalog.actions import publish_package_version
from installations.actions import create_installation
from installations.git.tokens import create_token
from installations.repository import Repository
from tests.installations.conftest import write_package

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Git:
    """Runs the real git client in a private HOME, never asking for a password."""

    home: Path

    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ["PATH"],
            "HOME": str(self.home),
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Pat Pusher",
            "GIT_AUTHOR_EMAIL": "pat@globex.example",
            "GIT_COMMITTER_NAME": "Pat Pusher",
            "GIT_COMMITTER_EMAIL": "pat@globex.example",
            "LC_ALL": "C",
        }

    def run(self, *args, cwd=None, check=True) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, env=self.env(), capture_output=True, text=True, timeout=120
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def run_input(self, args: list[str], text: str, cwd=None) -> str:
        """git with `text` on its standard input; its output, stripped."""
        proc = subprocess.run(
            ["git", *args], cwd=cwd, env=self.env(), input=text, capture_output=True, text=True
        )
        if proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc.stdout.strip()

    def clone(self, url: str, dest: Path) -> Path:
        self.run("clone", "--quiet", url, str(dest))
        return dest


@pytest.fixture
def git(tmp_path) -> Git:
    home = tmp_path / "home"
    home.mkdir()
    return Git(home)


@pytest.fixture
def live(live_server, settings):
    settings.SITE_URL = live_server.url
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    return live_server


@pytest.fixture
def shop(base, tmp_path, live, transactional_db):
    directory = write_package(tmp_path / "shop-1.0.0", "1.0.0")
    version = publish_package_version(base.acme, directory, user=base.vendor)
    inst = create_installation(
        package_version=version,
        customer_workspace=base.globex,
        name="shop-prod",
        inputs={"replicas": 2, "message": "hi"},
        user=base.owner,
    )
    inst.refresh_from_db()
    assert inst.renders.filter(state="deployed").exists()
    return inst


def token_for(user, workspace, *, read_only=False) -> str:
    return create_token(user, workspace, name="test", read_only=read_only)[1]


def repo_url(live, inst, token: str | None) -> str:
    host = live.url.split("://", 1)[1]
    auth = f"x:{token}@" if token else ""
    return f"http://{auth}{host}/git/{inst.customer_workspace.slug}/{inst.pk}.git"


@pytest.fixture
def owner_url(live, shop, base) -> str:
    return repo_url(live, shop, token_for(base.owner, base.globex))


def edit_inputs(clone: Path, old: str, new: str) -> None:
    path = clone / "inputs.yaml"
    text = path.read_text()
    assert old in text, text
    path.write_text(text.replace(old, new))


@pytest.fixture
def clone(git, owner_url, tmp_path) -> Path:
    """The owner's clone of `shop`."""
    return git.clone(owner_url, tmp_path / "clone")


def refs(inst) -> dict[str, str]:
    """Every ref of the installation's repository, and the commit it points at."""
    out = Repository(inst.repo_path)._out("for-each-ref", "--format=%(refname) %(objectname)")
    return dict(line.split() for line in out.splitlines())


@pytest.fixture
def refused(git, shop, clone):
    """`git push origin *args` from the clone (`main` when none): it must be refused and
    leave every ref of `shop` as it was. Returns what git printed."""

    def push(*args: str) -> str:
        before = refs(shop)
        proc = git.run("push", "origin", *(args or ("main",)), cwd=clone, check=False)
        assert proc.returncode != 0, proc.stderr
        assert refs(shop) == before
        return proc.stderr

    return push
