"""tree_digest: the same tree gives the same digest anywhere; any content change moves it."""

from __future__ import annotations

import os

import pytest

from akua.packaging.digest import file_digest, tree_digest
from akua.packaging.errors import PackagingError


def make_tree(root, files):
    for path, content in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(content)
    return root


FILES = {"Chart.yaml": b"name: demo\n", "templates/a.yaml": b"a: 1\n"}


def test_the_same_files_in_another_place_and_order_have_the_same_digest(tmp_path):
    one = make_tree(tmp_path / "one", FILES)
    two = make_tree(tmp_path / "two", dict(reversed(list(FILES.items()))))
    os.utime(two / "Chart.yaml", (0, 0))

    assert tree_digest(one) == tree_digest(two)
    assert tree_digest(one).startswith("sha256:") and len(tree_digest(one)) == 71


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "templates/a.yaml").write_bytes(b"a: 2\n"),
        lambda root: (root / "templates/a.yaml").rename(root / "templates/b.yaml"),
        lambda root: (root / "extra.txt").write_bytes(b""),
        lambda root: (root / "Chart.yaml").chmod(0o755),
        lambda root: os.symlink("Chart.yaml", root / "link"),
    ],
    ids=["content", "rename", "new-empty-file", "exec-bit", "symlink"],
)
def test_any_change_to_the_tree_changes_the_digest(tmp_path, change):
    root = make_tree(tmp_path / "t", FILES)
    before = tree_digest(root)

    change(root)

    assert tree_digest(root) != before


def test_the_git_directory_is_ignored(tmp_path):
    root = make_tree(tmp_path / "t", FILES)
    before = tree_digest(root)

    make_tree(root, {".git/HEAD": b"ref: refs/heads/main\n", "sub/.git": b"gitdir: x\n"})

    assert tree_digest(root) == before


def test_file_digest_is_the_sha256_of_the_bytes(tmp_path):
    (tmp_path / "f").write_bytes(b"abc")

    assert file_digest(tmp_path / "f") == (
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_a_file_is_not_a_tree(tmp_path):
    (tmp_path / "f").write_bytes(b"abc")

    with pytest.raises(PackagingError, match="not a directory"):
        tree_digest(tmp_path / "f")
