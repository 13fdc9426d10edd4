"""Package archives: the same tree gives the same bytes; unsafe archives are refused."""

from __future__ import annotations

import io
import os
import tarfile

import pytest

from catalog.archive import ArchiveError, pack_directory, read_files


def make_tree(root):
    (root / "upstream" / "chart").mkdir(parents=True)
    (root / "akua.toml").write_text("[package]\n")
    (root / "package.k").write_text("resources = []\n")
    (root / "upstream" / "chart" / "Chart.yaml").write_text("name: x\n")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref\n")
    return root


def test_the_same_tree_packs_to_the_same_bytes(tmp_path):
    a = make_tree(tmp_path / "a")
    b = make_tree(tmp_path / "b")
    os.utime(b / "package.k", (1, 1))
    assert pack_directory(a) == pack_directory(b)
    files = read_files(pack_directory(a))
    assert sorted(files) == ["akua.toml", "package.k", "upstream/chart/Chart.yaml"]


def test_a_single_top_level_directory_is_stripped(tmp_path):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for name, data in {"web/akua.toml": b"a", "web/package.k": b"b"}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    assert sorted(read_files(raw.getvalue())) == ["akua.toml", "package.k"]


@pytest.mark.parametrize("name", ["../evil", "/etc/passwd", "a/../../b"])
def test_paths_outside_the_package_are_refused(name):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        info = tarfile.TarInfo(name)
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(ArchiveError, match="unsafe path"):
        read_files(raw.getvalue())


def test_links_are_refused(tmp_path):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        info = tarfile.TarInfo("akua.toml")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)
    with pytest.raises(ArchiveError, match="links are not allowed"):
        read_files(raw.getvalue())


def test_garbage_is_refused():
    with pytest.raises(ArchiveError, match="not a readable"):
        read_files(b"this is not a tarball")
