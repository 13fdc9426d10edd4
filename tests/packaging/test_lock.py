"""akua.lock: read, written in a stable order, with clear errors when it is damaged."""

from __future__ import annotations

import pytest

from akua.packaging.errors import PackagingError
from akua.packaging.lock import LockEntry, read_lock, write_lock

DIGEST = "sha256:" + "ab" * 32


def test_a_missing_lock_file_reads_as_no_entries(tmp_path):
    assert read_lock(tmp_path) == {}


def test_entries_round_trip_sorted_by_name_under_a_header(tmp_path):
    entries = {
        "zeta": LockEntry("zeta", "1.0.0", "https://charts.example.com/zeta", DIGEST),
        "alpha": LockEntry("alpha", "0" * 40, 'https://git.example.com/a "quoted"@v1', DIGEST),
    }

    write_lock(tmp_path, entries)

    text = (tmp_path / "akua.lock").read_text()
    assert text.startswith("# This file is machine-maintained")
    assert "version = 1\n" in text
    assert text.index('name = "alpha"') < text.index('name = "zeta"')
    assert read_lock(tmp_path) == entries


def test_writing_the_same_entries_twice_gives_the_same_bytes(tmp_path):
    entries = {"a": LockEntry("a", "1.0.0", "oci://r.example.com/a", DIGEST)}
    write_lock(tmp_path, entries)
    first = (tmp_path / "akua.lock").read_bytes()

    write_lock(tmp_path, dict(reversed(list(entries.items()))))

    assert (tmp_path / "akua.lock").read_bytes() == first


def test_invalid_toml_is_reported_with_its_line(tmp_path):
    (tmp_path / "akua.lock").write_text("version = 1\n\n[[package]\n")

    with pytest.raises(PackagingError) as error:
        read_lock(tmp_path)

    assert error.value.line == 3
    assert "vendor again" in str(error.value)


def test_an_unknown_lock_version_is_refused(tmp_path):
    (tmp_path / "akua.lock").write_text("version = 2\n")

    with pytest.raises(PackagingError, match="unsupported lock version 2"):
        read_lock(tmp_path)


def test_an_entry_missing_a_field_is_refused(tmp_path):
    (tmp_path / "akua.lock").write_text('version = 1\n[[package]]\nname = "a"\nversion = "1"\n')

    with pytest.raises(PackagingError, match="entry 1 needs string fields"):
        read_lock(tmp_path)
