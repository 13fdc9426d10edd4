"""The YAML view commits what a person typed as written (`update_inputs_text`), and the
review's preview renders Secrets as the installation's render does (redacted, real values)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.actions import publish_package_version
from installations.actions import (
    ConflictError,
    create_installation,
    repository,
    run_render,
    update_inputs_text,
)
from installations.inputs import INPUTS_FILE, InputsFileError, parse_inputs_text, replace_scalars
from installations.models import Installation, SensitiveInput
from tests.hostile_yaml import DEEP, LOOP, bomb_yaml
from tests.installations.conftest import SECRET_PACKAGE, git_history
from tests.wizard.review import manifest_diff
from wizard.models import Draft

# `{api_key}`: the suite's sensitive value (`typed`).
TYPED = """\
# Typed in the YAML view: order changed, comments new.
port: 8080      # the load balancer's
labels:
    team: web
name: shop

# Scale up for the sale.
replicas: 7
apiKey: '{api_key}'   # rotated 2024
"""


def typed(sensitive) -> str:
    return TYPED.replace("{api_key}", sensitive.api_key)


def yaml_url(inst):
    return reverse("wizard_edit_yaml", args=[inst.pk])


def review_url(inst):
    return reverse("wizard_edit_step", args=[inst.pk, "review"])


def test_typed_yaml_is_committed_as_written_with_the_secret_as_its_marker(
    owner_client, inst, sensitive
):
    response = owner_client.post(yaml_url(inst), {"yaml": typed(sensitive).replace("\n", "\r\n")})
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Draft.objects.get()
    assert sensitive.api_key not in draft.yaml_text + str(draft.data)
    review = owner_client.get(review_url(inst)).content.decode()
    assert "# Scale up for the sale." in review and sensitive.api_key not in review
    response = owner_client.post(review_url(inst), {"_action": "confirm"})
    assert response.status_code == 302, response.content.decode()[:3000]
    row = SensitiveInput.objects.get(installation=inst, path="apiKey")
    assert row.decrypt() == sensitive.api_key
    expected = typed(sensitive).replace(f"'{sensitive.api_key}'", row.marker)
    assert repository(inst).read_file(INPUTS_FILE).decode() == expected  # byte-for-byte
    assert sensitive.api_key not in git_history(inst.repo_path)
    head = repository(inst).commit(repository(inst).head())
    assert head.subject.startswith("Update inputs.yaml: apiKey, replicas")


def test_a_form_change_after_the_yaml_view_keeps_the_typed_comments(owner_client, inst, sensitive):
    owner_client.post(yaml_url(inst), {"yaml": typed(sensitive)})
    owner_client.post(
        reverse("wizard_edit_step", args=[inst.pk, "scale"]),
        {"_fields": ["replicas"], "f.replicas": "8", "_action": "save"},
    )
    response = owner_client.post(review_url(inst), {"_action": "confirm"})
    assert response.status_code == 302, response.content.decode()[:3000]
    text = repository(inst).read_file(INPUTS_FILE).decode()
    assert "replicas: 8" in text and "# Scale up for the sale." in text
    assert text.index("port:") < text.index("name:")  # the typed order


def test_a_yaml_error_names_the_line_and_keeps_the_text(owner_client, inst):
    typed = "name: shop\nreplicas: 3\nlabels: {team: web\n"
    response = owner_client.post(yaml_url(inst), {"yaml": typed})
    assert response.status_code == 422
    page = response.content.decode()
    assert "inputs.yaml, line 4" in page and "line 3" in page
    assert "labels: {team: web" in page
    assert not Draft.objects.filter(yaml_text__gt="").exists()  # nothing taken in


def test_an_invalid_value_shows_the_fields_message_and_keeps_the_text(owner_client, inst):
    typed = "# mine\nname: shop\nreplicas: lots\n"
    response = owner_client.post(yaml_url(inst), {"yaml": typed})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Replicas (replicas)</strong>: Enter an integer." in page
    assert "# mine\nname: shop\nreplicas: lots" in page


def test_a_locked_field_changed_in_the_text_is_refused(owner_client, inst, web, sensitive):
    from installations.models import FieldOverride

    FieldOverride.objects.create(package=web.package, field="replicas", locked=True)
    response = owner_client.post(yaml_url(inst), {"yaml": typed(sensitive)})
    assert response.status_code == 422
    assert "replicas is locked by the vendor and cannot be changed." in response.content.decode()


def test_update_inputs_text_checks_like_a_push(inst, base):
    head = repository(inst).head()
    with pytest.raises(InputsFileError) as error:
        update_inputs_text(inst, "name: [x\n", user=base.owner, base_sha=head)
    assert error.value.line == 2
    with pytest.raises(ValidationError) as invalid:
        update_inputs_text(inst, "replicas: lots\n", user=base.owner, base_sha=head)
    assert invalid.value.message_dict == {"replicas": ["Enter an integer."]}
    with pytest.raises(ValidationError) as unknown:
        update_inputs_text(
            inst, "apiKey: akua-secret:sha256:000000000000\n", user=base.owner, base_sha=head
        )
    assert "not set" in unknown.value.message_dict["apiKey"][0]
    with pytest.raises(ConflictError):
        update_inputs_text(inst, "name: x\n", user=base.owner, base_sha="0" * 40)
    assert repository(inst).head() == head  # nothing written
    update_inputs_text(inst, "# mine\nname: x\n", user=base.owner, base_sha=head)
    assert repository(inst).read_file(INPUTS_FILE) == b"# mine\nname: x\n"


def test_replace_scalars_touches_only_the_scalar():
    text = "a: 1  # one\nl:\n  - pw: |\n      multi\n    x: 'y'\nb: \"q\"\n"
    out = replace_scalars(text, {"l.0.pw": "M1", "b": "M2", "missing.path": "M3"})
    assert out == "a: 1  # one\nl:\n  - pw: M1\n    x: 'y'\nb: M2\n"
    assert parse_inputs_text(out) == {"a": 1, "l": [{"pw": "M1", "x": "y"}], "b": "M2"}


# -- the review's preview renders Secrets like the render does -------------------------------


@pytest.fixture
def db_inst(base, web, queued_renders, install, sensitive):
    version = publish_package_version(base.acme, SECRET_PACKAGE, user=base.vendor)
    inst = install(version, "db", inputs={"password": sensitive.password})
    while queued_renders:
        run_render(queued_renders.pop(0))
    return inst


def test_an_unchanged_secret_shows_no_diff(owner_client, db_inst, sensitive):
    edit = lambda slug: reverse("wizard_edit_step", args=[db_inst.pk, slug])  # noqa: E731
    committed = repository(db_inst).read_file(INPUTS_FILE).decode()
    owner_client.post(
        reverse("wizard_edit_yaml", args=[db_inst.pk]), {"yaml": committed + "leak: false\n"}
    )
    page = owner_client.get(edit("review")).content.decode()
    assert "do not render" not in page
    assert "3 manifests; 0 changed, 3 unchanged." in " ".join(page.split())
    assert "wz-manifest" not in page  # nothing to open: the Secret is listed as unchanged
    assert sensitive.password not in page
    assert "akua-redacted" not in page  # nothing changed, so no Secret in the diff


def test_a_changed_secret_shows_a_changed_redaction_never_the_value(
    owner_client, db_inst, sensitive
):
    edit = lambda slug: reverse("wizard_edit_step", args=[db_inst.pk, slug])  # noqa: E731
    new = sensitive.new_password
    response = owner_client.post(
        reverse("wizard_edit_yaml", args=[db_inst.pk]), {"yaml": f"password: {new}\n"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = owner_client.get(edit("review")).content.decode()
    assert "do not render" not in page
    assert "3 manifests; 1 changed, 2 unchanged." in " ".join(page.split())
    name = next(n for n in re.findall(r"[\w.-]+\.yaml", page) if "secret-db-credentials" in n)
    diff = manifest_diff(owner_client, "wizard_edit_diff", db_inst.pk, name)
    assert 'class="diff-del">-  password: akua-redacted:sha256:' in diff
    assert 'class="diff-add">+  password: akua-redacted:sha256:' in diff
    assert sensitive.password not in page + diff and new not in page + diff


# -- a new installation typed in the YAML view ------------------------------------------------


def test_a_new_installation_typed_in_the_yaml_view_commits_the_text_as_written(
    owner_client, base, web, queued_renders, sensitive
):
    new_yaml = reverse("wizard_new_yaml", args=[web.pk])
    new_review = reverse("wizard_new_step", args=[web.pk, "review"])
    response = owner_client.post(new_yaml, {"yaml": typed(sensitive).replace("\n", "\r\n")})
    assert response.status_code == 302, response.content.decode()[:3000]
    review = owner_client.get(new_review).content.decode()
    assert "# Scale up for the sale." in review and sensitive.api_key not in review
    response = owner_client.post(
        new_review,
        {"name": "typed-shop", "customer_workspace": base.globex.pk, "_action": "confirm"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    inst = Installation.objects.get(name="typed-shop")
    row = SensitiveInput.objects.get(installation=inst, path="apiKey")
    assert row.decrypt() == sensitive.api_key
    repo = repository(inst)
    # comments, key order, quoting as typed; only the secret became its marker
    assert repo.read_file(INPUTS_FILE).decode() == typed(sensitive).replace(
        f"'{sensitive.api_key}'", row.marker
    )
    assert repo.commit(repo.head()).subject == "Set inputs"
    assert sensitive.api_key not in git_history(inst.repo_path)
    assert not Draft.objects.exists()


def test_create_installation_refuses_typed_text_that_is_not_yaml_or_not_valid(
    base, web, queued_renders
):
    common = dict(package_version=web, customer_workspace=base.globex, user=base.owner)
    with pytest.raises(InputsFileError) as caught:
        create_installation(name="a", inputs=None, inputs_text="name: [x\n", **common)
    assert caught.value.line
    with pytest.raises(ValidationError) as caught:
        create_installation(name="b", inputs=None, inputs_text="replicas: many\n", **common)
    assert "replicas" in caught.value.message_dict
    assert not Installation.objects.exists()


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        (bomb_yaml(), "aliases make it expand to more than 16 MiB"),
        ("name: shop\n" + LOOP, "an alias refers to a value that holds it"),
        ("name: shop\n" + DEEP, "nested too deeply"),
    ],
)
def test_hostile_yaml_is_a_message_that_keeps_the_text(owner_client, inst, typed, words):
    """Before: the alias bomb hung the worker turning the inputs into JSON, and the deep
    nesting was a 500 (RecursionError out of the parser)."""
    response = owner_client.post(yaml_url(inst), {"yaml": typed})
    assert response.status_code == 422
    page = response.content.decode()
    assert words in page
    assert "l8: &amp;l8 [*l7" in page or "loop: &amp;a" in page or "deep:" in page
    assert not Draft.objects.filter(yaml_text__gt="").exists()
