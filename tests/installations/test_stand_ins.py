"""The comparison of the stand-in render (what git holds) with the real one (what the cluster
gets), object by object (installations.stand_ins): what passes, what fails, and that an
error never prints a value — not even a key or name derived from one."""

from __future__ import annotations

import pytest

from akua.packaging.manifests import result_of
from installations.sensitive import REDACTED_PREFIX, SensitiveInputError
from installations.stand_ins import protect

MARK = "akua-secret:sha256:0123456789ab"


def _cm(data: dict, name: str = "app", annotations: dict | None = None) -> dict:
    meta = {"name": name} | ({"annotations": annotations} if annotations else {})
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


def _secret(value: str, name: str = "creds") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name},
        "stringData": {"pw": value},
    }


def _protect(real: list[dict], shown: list[dict], sensitive, **kwargs):
    return protect(
        result_of(real),
        {"password": sensitive.password},
        stand_in=result_of(shown),
        **kwargs,
    )


def test_equal_objects_are_committed_as_rendered_and_secrets_redacted(sensitive):
    out = _protect(
        [_cm({"a": "1"}), _secret(sensitive.password)], [_cm({"a": "1"}), _secret(MARK)], sensitive
    )
    assert out.files[0] == result_of([_cm({"a": "1"})]).files[0]
    assert REDACTED_PREFIX.encode() in out.files[1].content
    assert sensitive.password.encode() not in out.files[1].content
    assert list(out.secret_manifests) == ["manifests/001-secret-creds.yaml"]


@pytest.mark.parametrize(
    ("real", "shown", "says"),
    [
        (
            lambda pw: [_cm({"a": pw[::-1]})],
            lambda m: [_cm({"a": m[::-1]})],
            "ConfigMap/app (manifests/000-configmap-app.yaml) depends on a sensitive input at data.a",
        ),
        (  # a key made of the value: the path stops before it
            lambda pw: [_cm({pw.upper(): "x"})],
            lambda m: [_cm({m.upper(): "x"})],
            "at data.(a key that depends on a sensitive input)",
        ),
        (  # a Secret named after the value: only data and stringData may differ
            lambda pw: [_secret(pw, name=pw.lower()[:8])],
            lambda m: [_secret(m, name=m[:8])],
            "Secret/akua-sec (manifests/000-secret-akua-sec.yaml) depends on a sensitive input "
            "at metadata.name",
        ),
        (
            lambda pw: [_cm({"a": "1"})] * (len(pw) % 3 + 2),
            lambda m: [_cm({"a": "1"})],
            "The number of objects depends on a sensitive input: 1 with stand-ins",
        ),
        (  # an annotation not listed by the vendor
            lambda pw: [_cm({}, annotations={"checksum/secret": pw.encode().hex()})],
            lambda m: [_cm({}, annotations={"checksum/secret": m.encode().hex()})],
            'akua.toml: [secrets] checksum-annotations = ["checksum/secret"]',
        ),
    ],
)
def test_a_difference_outside_secrets_fails_and_names_no_value(sensitive, real, shown, says):
    with pytest.raises(SensitiveInputError) as caught:
        _protect(real(sensitive.password), shown(MARK), sensitive)
    message = str(caught.value)
    assert says in message
    for form in sensitive.forms().values():
        assert form not in message
    assert sensitive.password.lower()[:8] not in message


def test_a_listed_annotation_is_committed_as_a_keyed_hash(sensitive):
    real = [_cm({"a": "1"}, annotations={"checksum/secret": sensitive.password[::-1], "k": "v"})]
    shown = [_cm({"a": "1"}, annotations={"checksum/secret": MARK[::-1], "k": "v"})]
    out = _protect(real, shown, sensitive, checksum_annotations=("checksum/*",))
    committed = out.files[0].content.decode()
    assert f"checksum/secret: {REDACTED_PREFIX}" in committed and "k: v" in committed
    assert sensitive.password[::-1] not in committed
    assert sensitive.password[::-1] in out.secret_manifests["manifests/000-configmap-app.yaml"]


def test_a_listed_annotation_key_that_depends_on_a_value_still_fails(sensitive):
    real = [_cm({}, annotations={f"checksum/{sensitive.password}": "x"})]
    shown = [_cm({}, annotations={f"checksum/{MARK}": "x"})]
    with pytest.raises(SensitiveInputError, match="a key that depends on a sensitive input"):
        _protect(real, shown, sensitive, checksum_annotations=("checksum/*",))


# -- the pipeline (installations.rendering.render_tree): which render's error is shown -------

AKUA_TOML = '[package]\nname = "p"\nversion = "1.0.0"\nedition = "akua.dev/v1alpha1"\n'
PACKAGE_K = """\
import akua.ctx

schema Input:
    password: str

input: Input = ctx.input()

resources = [{apiVersion = "v1", kind = "ConfigMap", metadata.name = "app", data.a = "1"}]
assert {condition}, "does not fit: " + input.password[::-1]
"""


def _render_with(tmp_path, sensitive, condition: str):
    from installations import sensitive as sensitive_inputs
    from installations.rendering import RenderFailed, render_tree

    (tmp_path / "akua.toml").write_text(AKUA_TOML)
    (tmp_path / "package.k").write_text(PACKAGE_K.replace("{condition}", condition))
    value = sensitive.password
    with pytest.raises(RenderFailed) as caught:
        render_tree(
            tmp_path,
            {"password": sensitive_inputs.marker(value)},
            typed={"password": value},
        )
    return str(caught.value)


def test_an_error_only_the_real_values_cause_names_its_place_not_its_message(tmp_path, sensitive):
    message = _render_with(tmp_path, sensitive, 'input.password.startswith("akua-secret:")')
    assert message.startswith("package.k:9: the package renders with stand-ins")
    assert "(password)" in message and "does not fit" not in message
    for form in sensitive.forms().values():
        assert form not in message


def test_an_error_of_the_stand_in_render_is_shown_whole(tmp_path, sensitive):
    message = _render_with(tmp_path, sensitive, "False")
    assert message.startswith("With stand-ins for its sensitive inputs")
    assert "does not fit: " in message  # the marker, reversed: nothing secret
    for form in sensitive.forms().values():
        assert form not in message


def test_a_limit_only_the_real_values_reach_is_named(tmp_path, sensitive):
    """The sandbox's own words about a limit hold no package code: shown as they are."""
    from akua.packaging import default_limits, set_default_limits
    from installations import sensitive as sensitive_inputs
    from installations.rendering import RenderFailed, render_tree

    (tmp_path / "akua.toml").write_text(AKUA_TOML)
    (tmp_path / "package.k").write_text(
        "import akua.ctx\n\nschema Input:\n    password: str\n\ninput: Input = ctx.input()\n\n"
        '_n = 1 if input.password.startswith("akua-secret:") else 20\n'
        'resources = [{apiVersion = "v1", kind = "ConfigMap", metadata.name = "c${i}"}'
        " for i in range(_n)]\n"
    )
    before = default_limits()
    set_default_limits(before.but(resources=10))
    try:
        with pytest.raises(RenderFailed) as caught:
            render_tree(
                tmp_path,
                {"password": sensitive_inputs.marker(sensitive.password)},
                typed={"password": sensitive.password},
            )
    finally:
        set_default_limits(before)
    assert str(caught.value) == (
        "the render produced 20 resources, more than 10 (resource count limit)"
    )
