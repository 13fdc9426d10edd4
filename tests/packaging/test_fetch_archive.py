"""Unpacking chart archives refuses members that could write outside the destination."""

from __future__ import annotations

import tarfile

import pytest

from akua.packaging.errors import PackagingError
from akua.packaging.fetch.base import newest_first, unpack_chart
from tests.packaging.servers import chart_files, chart_tgz


def member(name: str, kind=tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    return info


def archive_with(extra: tarfile.TarInfo) -> bytes:
    files = dict(chart_files("demo", "1.0.0"))
    files["zz-extra"] = extra
    return chart_tgz("demo", "1.0.0", files=files)


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        (member("demo/../../escape.txt"), "points outside the chart"),
        (member("/etc/evil"), "absolute"),
        (member("demo/templates/link", tarfile.SYMTYPE, "../../../etc/passwd"), "link"),
        (member("demo/templates/hard", tarfile.LNKTYPE, "/etc/passwd"), "link"),
        (member("demo/fifo", tarfile.FIFOTYPE), "special file"),
    ],
    ids=["dot-dot", "absolute", "symlink", "hardlink", "fifo"],
)
def test_an_unsafe_tar_member_is_refused_and_nothing_escapes(tmp_path, extra, reason):
    dest = tmp_path / "deep" / "out"
    dest.parent.mkdir()

    with pytest.raises(PackagingError, match=reason):
        unpack_chart(archive_with(extra), dest, what="demo.tgz")

    assert not (tmp_path / "escape.txt").exists()
    assert not (tmp_path / "deep" / "escape.txt").exists()
    assert not (dest / "Chart.yaml").exists()


def test_an_archive_with_two_top_level_directories_is_refused(tmp_path):
    files = dict(chart_files("demo", "1.0.0"))
    files["other"] = member("other/Chart.yaml")

    with pytest.raises(PackagingError, match="one top-level chart directory"):
        unpack_chart(chart_tgz("demo", "1.0.0", files=files), tmp_path / "out", what="demo.tgz")


def test_the_executable_bit_survives_unpacking(tmp_path):
    script = tarfile.TarInfo("demo/hook.sh")
    script.mode = 0o755
    files = dict(chart_files("demo", "1.0.0"))
    files["hook"] = script

    unpack_chart(chart_tgz("demo", "1.0.0", files=files), tmp_path / "out", what="demo.tgz")

    assert (tmp_path / "out" / "hook.sh").stat().st_mode & 0o111
    assert not (tmp_path / "out" / "Chart.yaml").stat().st_mode & 0o111


def test_it_refuses_to_unpack_into_a_directory_that_is_not_empty(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")

    with pytest.raises(PackagingError, match="not empty"):
        unpack_chart(chart_tgz(), tmp_path / "out", what="demo.tgz")


def test_versions_sort_newest_first_with_prereleases_below_their_release():
    assert newest_first(["1.0.0", "1.0.0-rc.2", "1.0.0-rc.10", "0.9.0", "v1.1.0", "latest"]) == [
        "v1.1.0",
        "1.0.0",
        "1.0.0-rc.10",
        "1.0.0-rc.2",
        "0.9.0",
        "latest",
    ]
