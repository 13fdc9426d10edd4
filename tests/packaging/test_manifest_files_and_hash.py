"""Resources become `NNN-<kind>-<name>.yaml` files; the hash covers names and bytes; stale files go."""

from __future__ import annotations

import hashlib

from akua.packaging import ManifestFile, RenderResult, write_manifests
from akua.packaging.manifests import file_name, render_hash, result_of


def test_file_names_use_position_kind_and_a_safe_name():
    assert (
        file_name(0, {"kind": "Deployment", "metadata": {"name": "web"}})
        == "000-deployment-web.yaml"
    )
    assert (
        file_name(7, {"kind": "ClusterRole", "metadata": {"name": "system:auth/x y"}})
        == "007-clusterrole-system-auth-x-y.yaml"
    )
    assert file_name(12, {"metadata": {}}) == "012-resource-unnamed.yaml"
    assert file_name(1000, {"kind": "A", "metadata": {"name": "a_b.c"}}) == "1000-a-a_b.c.yaml"


def test_long_names_are_shortened_to_100_bytes_with_a_hash_of_the_whole_kind_and_name():
    long = {"kind": "ConfigMap", "metadata": {"name": "a" * 100_000}}
    other = {"kind": "ConfigMap", "metadata": {"name": "a" * 99_999 + "b"}}
    digest = hashlib.sha256(("configmap/" + "a" * 100_000).encode()).hexdigest()[:8]
    assert file_name(3, long) == "003-configmap-" + "a" * 72 + f"-{digest}.yaml"
    assert len(file_name(3, long)) == 100
    assert file_name(3, other) != file_name(3, long)  # same prefix, another hash
    kind = {"kind": "K" * 500, "metadata": {"name": "web"}}
    assert file_name(0, kind).startswith("000-" + "k" * 30 + "-web-")
    assert len(file_name(0, kind)) <= 100
    exactly = {"kind": "A", "metadata": {"name": "n" * 89}}  # 000-a- + 89 + .yaml = 100
    assert file_name(0, exactly) == "000-a-" + "n" * 89 + ".yaml"
    over = {"kind": "A", "metadata": {"name": "n" * 90}}
    assert len(file_name(0, over)) == 100 and file_name(0, over).endswith(".yaml")


def test_the_hash_is_sha256_over_each_name_newline_and_bytes_in_order():
    result = result_of([{"kind": "A", "metadata": {"name": "x"}}, {"kind": "B"}])
    expected = hashlib.sha256()
    for f in result.files:
        expected.update(f.name.encode() + b"\n" + f.content)
    assert result.hash == "sha256:" + expected.hexdigest()


def test_renaming_a_file_changes_the_hash_even_with_the_same_bytes():
    same = b"k: v\n"
    a = RenderResult([ManifestFile("000-a-x.yaml", same)], "")
    b = RenderResult([ManifestFile("000-b-x.yaml", same)], "")
    assert render_hash(a.files) != render_hash(b.files)


def test_long_strings_are_not_wrapped_and_multiline_strings_are_literal_blocks():
    text = (
        result_of(
            [{"kind": "ConfigMap", "data": {"long": "word " * 60, "script": "echo a\necho b\n"}}]
        )
        .files[0]
        .content.decode()
    )
    assert "long: 'word word" in text and text.count("\n") == 6
    assert "script: |\n    echo a\n    echo b\n" in text


def test_write_manifests_writes_files_and_removes_stale_ones_it_owns(tmp_path):
    tmp_path = tmp_path / "manifests"
    tmp_path.mkdir()
    (tmp_path / "005-configmap-old.yaml").write_text("old")
    (tmp_path / "README.md").write_text("keep me")
    (tmp_path / "notes.yaml").write_text("keep me too")
    result = result_of([{"kind": "ConfigMap", "metadata": {"name": "new"}}])
    write_manifests(result, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "000-configmap-new.yaml",
        "README.md",
        "notes.yaml",
    ]
    assert (tmp_path / "000-configmap-new.yaml").read_bytes() == result.files[0].content
