"""Finding 6 of issue 10, through the git client: package.k may not carry a sensitive input
into git in any form. A pushed package.k that writes the password reversed, upper-cased or
hashed into a ConfigMap is refused, naming the object and field; the render with stand-ins
is what git holds (installations.stand_ins). A checksum annotation the vendor listed in
akua.toml is committed as a keyed hash and applied with its real value.

The values come from the suite's one fixture (tests/conftest.py `sensitive`); the
end-of-session scan checks that no repository holds any form of them.
"""

from __future__ import annotations

import base64
import hashlib
import shutil

import pytest
import yaml

from catalog.actions import publish_package_version
from emulators.kubernetes import eventually
from installations.actions import create_installation, repository, set_sensitive_input
from installations.models import Render
from installations.sensitive import REDACTED_PREFIX, render_manifest_files
from tests.clusters.akua_fixtures import cluster  # noqa: F401
from tests.git.conftest import repo_url, token_for
from tests.installations.conftest import SECRET_PACKAGE

pytestmark = pytest.mark.django_db(transaction=True)

CONFIGMAP_DATA = 'data = {user = "app"} | ({password = input.password} if input.leak else {})'
DEPLOYMENT_POD = "template = {\n                metadata.labels = _labels"
CHECKSUM_POD = (
    "template = {\n"
    '                metadata.annotations = {"checksum/secret" = crypto.sha256(input.password)}\n'
    "                metadata.labels = _labels"
)


@pytest.fixture
def db_inst(base, live, sensitive):
    version = publish_package_version(base.acme, SECRET_PACKAGE, user=base.vendor)
    return create_installation(
        package_version=version,
        customer_workspace=base.globex,
        name="db-prod",
        inputs={"password": sensitive.password},
        user=base.owner,
    )


def _clone(git, live, inst, base, tmp_path):
    return git.clone(repo_url(live, inst, token_for(base.owner, base.globex)), tmp_path / "c")


@pytest.mark.parametrize(
    ("expression", "field"),
    [
        ("input.password[::-1]", "data.hint"),
        ("input.password.upper()", "data.hint"),
        ("crypto.sha256(input.password)", "data.hint"),
        ('"x".join([c for c in input.password])', "data.hint"),
    ],
)
def test_a_pushed_package_k_that_copies_a_transformed_password_is_refused(
    db_inst, base, live, git, tmp_path, expression, field
):
    head = repository(db_inst).head()
    clone = _clone(git, live, db_inst, base, tmp_path)
    package_k = clone / "package.k"
    text = package_k.read_text()
    assert CONFIGMAP_DATA in text
    text = "import crypto\n" + text.replace(
        CONFIGMAP_DATA, CONFIGMAP_DATA.replace('user = "app"', f'user = "app", hint = {expression}')
    )
    package_k.write_text(text)
    git.run("commit", "-qam", "Copy the password, transformed", cwd=clone)
    proc = git.run("push", "origin", "main", cwd=clone, check=False)
    assert proc.returncode != 0
    assert (
        f"ConfigMap/db (manifests/001-configmap-db.yaml) depends on a sensitive input at {field}"
        in proc.stderr
    )
    assert "package.k copies a sensitive value" in proc.stderr
    assert repository(db_inst).head() == head


def test_a_vendors_version_that_copies_a_reversed_password_fails_its_render(
    base, install, sensitive, tmp_path
):
    """The same rule in the render task (a vendor's package, a change of inputs, an upgrade):
    the render fails naming the object, and git holds no manifests of it."""
    directory = tmp_path / "reversing"
    shutil.copytree(SECRET_PACKAGE, directory)
    package_k = directory / "package.k"
    package_k.write_text(
        package_k.read_text().replace(
            CONFIGMAP_DATA, 'data = {user = "app", hint = input.password[::-1]}'
        )
    )
    version = publish_package_version(base.acme, directory, user=base.vendor)
    inst = install(version, "db-prod", inputs={"password": sensitive.password})
    render = inst.renders.get()
    assert render.state == Render.State.FAILED
    assert render.error.startswith(
        "ConfigMap/db (manifests/001-configmap-db.yaml) depends on a sensitive input at data.hint"
    )
    assert sensitive.password[::-1] not in render.error + inst.state_reason
    assert repository(inst).files("main", "manifests") == {}


@pytest.fixture
def checksum_version(base, tmp_path, request):
    """secret-input with a `checksum/secret` pod annotation computed from the password, the
    way charts do; `request.param`: whether the vendor lists it in akua.toml."""
    directory = tmp_path / "checksummed"
    shutil.copytree(SECRET_PACKAGE, directory)
    package_k = directory / "package.k"
    text = package_k.read_text()
    assert DEPLOYMENT_POD in text
    package_k.write_text("import crypto\n" + text.replace(DEPLOYMENT_POD, CHECKSUM_POD))
    if request.param:
        toml = directory / "akua.toml"
        toml.write_text(toml.read_text() + '\n[secrets]\nchecksum-annotations = ["checksum/*"]\n')
    return publish_package_version(base.acme, directory, user=base.vendor)


@pytest.mark.parametrize("checksum_version", [False], indirect=True)
def test_a_checksum_annotation_the_vendor_did_not_list_fails_the_render(
    checksum_version, base, install, sensitive
):
    inst = install(checksum_version, "db-prod", inputs={"password": sensitive.password})
    render = inst.renders.get()
    assert render.state == Render.State.FAILED
    assert render.error.startswith(
        "Deployment/db (manifests/002-deployment-db.yaml) depends on a sensitive input at "
        "spec.template.metadata.annotations.checksum/secret:"
    )
    assert 'akua.toml: [secrets] checksum-annotations = ["checksum/secret"]' in render.error
    assert repository(inst).files("main", "manifests") == {}


@pytest.mark.parametrize("checksum_version", [True], indirect=True)
def test_a_listed_checksum_annotation_is_a_keyed_hash_in_git_and_real_on_the_cluster(
    checksum_version,
    base,
    install,
    sensitive,
    cluster,  # noqa: F811
    k8s_emulator,
    run_tasks,
):
    inst = install(
        checksum_version,
        "db-prod",
        inputs={"password": sensitive.password},
        cluster=cluster,
        namespace="db",
    )
    first = inst.renders.get()
    assert first.state == Render.State.DEPLOYED, first.error
    path = "manifests/002-deployment-db.yaml"
    committed = yaml.safe_load(repository(inst).read_file(path))
    real = hashlib.sha256(sensitive.password.encode()).hexdigest()
    shown = committed["spec"]["template"]["metadata"]["annotations"]["checksum/secret"]
    assert shown.startswith(REDACTED_PREFIX) and real not in shown
    applied = yaml.safe_load(render_manifest_files(first)[path])
    assert applied["spec"]["template"]["metadata"]["annotations"]["checksum/secret"] == real

    def on_cluster(want):
        def probe():
            live = k8s_emulator.get("Deployment", "db", "db")
            return live and live["spec"]["template"]["metadata"]["annotations"] == {
                "checksum/secret": want
            }

        return probe

    eventually(on_cluster(real))
    # A new password changes the committed hash and restarts the pods with the new checksum.
    run_tasks(set_sensitive_input, inst, "password", sensitive.new_password, user=base.owner)
    second = inst.renders.order_by("-generation").first()
    assert second.state == Render.State.DEPLOYED and second.render_hash != first.render_hash
    again = yaml.safe_load(repository(inst).read_file(path))
    assert again["spec"]["template"]["metadata"]["annotations"]["checksum/secret"] != shown
    eventually(on_cluster(hashlib.sha256(sensitive.new_password.encode()).hexdigest()))
    # Only keyed hashes: no form of either password is in the repository.
    history = repository(inst).files("main", "manifests")
    for value in (sensitive.password, sensitive.new_password):
        digest = hashlib.sha256(value.encode()).hexdigest()
        encoded = base64.b64encode(value.encode()).decode()
        assert not any(
            v.encode() in data for v in (value, digest, encoded) for data in history.values()
        )
