"""No push can make a repository unclonable or huge for good (history is never rewritten).

Each refused push names what was wrong (and the setting, for a limit), leaves every ref as
it was, and the repository still clones afterwards.
"""

from __future__ import annotations

import os

import pytest

from installations.repository import Repository
from tests.git.conftest import repo_url, token_for

pytestmark = pytest.mark.django_db(transaction=True)


def _still_clones(git, live, shop, base, tmp_path, name="after") -> None:
    fresh = git.clone(repo_url(live, shop, token_for(base.owner, base.globex)), tmp_path / name)
    assert (fresh / "inputs.yaml").is_file()
    Repository(shop.repo_path).fsck()


@pytest.fixture
def refused_and_clones(refused, git, shop, live, base, tmp_path):
    """`refused` (tests/git/conftest.py), and the repository still clones afterwards."""

    def push(*args: str) -> str:
        err = refused(*args)
        _still_clones(git, live, shop, base, tmp_path)
        return err

    return push


def _commit_tree(git, clone, entries: list[str], message: str) -> str:
    """A commit on top of HEAD whose root tree is HEAD's plus `entries` (mktree lines)."""
    listing = git.run("ls-tree", "HEAD", cwd=clone).stdout
    tree = git.run_input(["mktree"], listing + "".join(e + "\n" for e in entries), cwd=clone)
    return git.run("commit-tree", tree, "-p", "HEAD", "-m", message, cwd=clone).stdout.strip()


def _blob(git, clone, text: str) -> str:
    return git.run_input(["hash-object", "-w", "--stdin"], text, cwd=clone)


def test_a_tree_entry_named_dot_git_is_refused_by_gits_object_check(git, clone, refused_and_clones):
    blob = _blob(git, clone, "[core]\n\tbare = false\n")
    inner = git.run_input(["mktree"], f"100644 blob {blob}\tconfig\n", cwd=clone)
    commit = _commit_tree(git, clone, [f"040000 tree {inner}\t.GIT"], "Sneak a .git in")
    err = refused_and_clones(f"{commit}:refs/heads/main")
    assert "hasDotgit" in err
    assert "remote: Akua: push refused: git's object check (receive.fsckObjects)" in err


def test_a_symlink_is_refused(git, clone, refused_and_clones):
    os.symlink("/etc/passwd", clone / "passwd")
    git.run("add", "passwd", cwd=clone)
    git.run("commit", "-qm", "A link", cwd=clone)
    err = refused_and_clones()
    assert "remote:   main: passwd is a symbolic link; only regular files can be pushed." in err


def test_a_submodule_is_refused(git, clone, refused_and_clones):
    head = git.run("rev-parse", "HEAD", cwd=clone).stdout.strip()
    commit = _commit_tree(git, clone, [f"160000 commit {head}\tvendor"], "A submodule")
    err = refused_and_clones(f"{commit}:refs/heads/main")
    assert "remote:   main: vendor is a submodule (gitlink); copy the files in instead." in err


def test_a_file_over_the_size_limit_is_refused_and_named(git, clone, refused_and_clones, settings):
    settings.GIT_MAX_FILE_BYTES = 64 * 1024
    (clone / "notes").mkdir()
    (clone / "notes" / "big.bin").write_bytes(os.urandom(100 * 1024))
    git.run("add", "notes", cwd=clone)
    git.run("commit", "-qm", "Big file", cwd=clone)
    git.run("rm", "-q", "notes/big.bin", cwd=clone)  # removed again: still in history
    git.run("commit", "-qm", "Gone again", cwd=clone)
    err = refused_and_clones()
    assert (
        "remote:   main: notes/big.bin: 100 KiB; a file may be at most 64 KiB "
        "(AKUA_GIT_MAX_FILE_MB)." in err
    )


def test_a_push_over_the_pack_limit_is_refused_while_it_is_received(
    git, shop, clone, refused_and_clones, settings
):
    settings.GIT_MAX_PACK_BYTES = 64 * 1024
    (clone / "big.bin").write_bytes(os.urandom(200 * 1024))  # does not compress
    git.run("add", "big.bin", cwd=clone)
    git.run("commit", "-qm", "Big push", cwd=clone)
    err = refused_and_clones()
    assert "pack exceeds maximum allowed size" in err
    assert (
        "remote: Akua: push refused: it is larger than 64 KiB, the most one push may send "
        "(AKUA_GIT_MAX_PACK_MB); nothing was changed." in err
    )
    assert not list((shop.repo_path / "objects").glob("tmp_objdir-*"))


def test_too_many_files_are_refused(git, clone, refused_and_clones, settings):
    settings.GIT_MAX_FILES = 40
    (clone / "many").mkdir()
    for i in range(60):
        (clone / "many" / f"{i}.txt").write_text(f"{i}\n")
    git.run("add", "many", cwd=clone)
    git.run("commit", "-qm", "Many files", cwd=clone)
    err = refused_and_clones()
    assert "a repository may hold at most 40 (AKUA_GIT_MAX_FILES)." in err


def test_a_file_name_longer_than_any_file_system_takes_is_refused(git, clone, refused_and_clones):
    blob = _blob(git, clone, "x\n")
    commit = _commit_tree(git, clone, [f"100644 blob {blob}\t{'n' * 300}"], "Long name")
    err = refused_and_clones(f"{commit}:refs/heads/main")
    assert "a name of 300 bytes; file and folder names may be at most 255 bytes." in err


def test_a_resource_with_a_100000_character_name_still_leaves_a_clonable_repository(
    git, shop, clone, live, base, tmp_path
):
    package = clone / "package.k"
    text = package.read_text()
    assert 'metadata.name = "shop"\n        data' in text
    package.write_text(
        text.replace(
            'metadata.name = "shop"\n        data',
            'metadata.name = "x" * 100000\n        data',
        )
    )
    git.run("commit", "-qam", "A very long name", cwd=clone)
    git.run("push", "-q", "origin", "main", cwd=clone)
    shop.refresh_from_db()
    assert shop.renders.filter(trigger="push", state="deployed").exists()
    fresh = git.clone(repo_url(live, shop, token_for(base.owner, base.globex)), tmp_path / "fresh")
    names = sorted(p.name for p in (fresh / "manifests").iterdir())
    assert len(names) == 2 and all(len(n.encode()) <= 100 for n in names), names
    long = next(n for n in names if n.startswith("000-configmap-"))
    assert long.startswith("000-configmap-xxxx") and long.endswith(".yaml")
    assert "x" * 100000 in (fresh / "manifests" / long).read_text()
