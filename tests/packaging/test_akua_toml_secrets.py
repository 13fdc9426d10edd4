"""akua.toml's `[secrets] checksum-annotations`: the vendor's list of annotation keys whose
values may depend on sensitive inputs (committed as keyed hashes, installations.stand_ins)."""

from __future__ import annotations

import pytest

from akua.packaging import PackagingError
from akua.packaging.manifest import parse_manifest

PACKAGE = {"package": {"name": "p", "version": "1.0.0", "edition": "akua.dev/v1alpha1"}}


def test_the_list_is_read():
    manifest = parse_manifest(
        PACKAGE | {"secrets": {"checksum-annotations": ["checksum/secret", "checksum/*"]}}
    )
    assert manifest.checksum_annotations == ("checksum/secret", "checksum/*")
    assert parse_manifest(PACKAGE).checksum_annotations == ()


@pytest.mark.parametrize(
    ("secrets", "says"),
    [
        ("checksum/secret", "[secrets] must be a table"),
        ({"checksums": []}, "[secrets]: unknown key(s) checksums"),
        ({"checksum-annotations": "checksum/secret"}, "must be a list of strings"),
        ({"checksum-annotations": ["has space"]}, "'has space' is not an annotation key"),
        ({"checksum-annotations": ["x" * 300]}, "is not an annotation key"),
    ],
)
def test_a_bad_list_says_what_is_wrong(secrets, says):
    with pytest.raises(PackagingError) as caught:
        parse_manifest(PACKAGE | {"secrets": secrets})
    assert says in str(caught.value)
