"""Sensitive inputs through the render: stored encrypted, markers in git, Secrets redacted,
the full Secrets kept on the Render for the apply (DESIGN §9)."""

from __future__ import annotations

import base64
import logging

import yaml
from django.db import connection

from installations import actions
from installations.inputs import INPUTS_FILE
from installations.models import Render, SensitiveInput
from installations.repository import AKUA, Repository
from installations.sensitive import REDACTED_PREFIX, render_manifest_files
from tests.installations.conftest import git_history

SECRET_FILE = "manifests/000-secret-db-credentials.yaml"


def _b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def _deployed(inst) -> Render:
    return inst.renders.filter(state=Render.State.DEPLOYED).order_by("-generation").first()


def test_the_value_is_stored_encrypted_and_inputs_yaml_holds_its_marker(
    secret_inst, base, sensitive
):
    password, b64 = sensitive.password, _b64(sensitive.password)
    row = SensitiveInput.objects.get(installation=secret_inst, path="password")
    assert row.decrypt() == password and row.updated_by == base.owner
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value_encrypted FROM {SensitiveInput._meta.db_table}")
        (stored,) = cursor.fetchone()
    assert password.encode() not in bytes(stored) and b64.encode() not in bytes(stored)
    text = Repository(secret_inst.repo_path).read_file(INPUTS_FILE).decode()
    assert f"password: {row.marker}" in text and row.marker.startswith("akua-secret:sha256:")


def test_manifests_hold_the_redaction_marker_and_git_never_the_value(secret_inst, sensitive):
    password, b64 = sensitive.password, _b64(sensitive.password)
    repo = Repository(secret_inst.repo_path)
    secret = yaml.safe_load(repo.read_file(SECRET_FILE))
    assert secret["data"]["password"].startswith(REDACTED_PREFIX)
    assert secret["stringData"]["url"].startswith(REDACTED_PREFIX)
    history = git_history(secret_inst.repo_path)
    assert "render sha256:" in history
    assert password not in history and b64 not in history


def test_render_manifest_files_returns_the_real_secret(secret_inst, sensitive):
    password, b64 = sensitive.password, _b64(sensitive.password)
    render = _deployed(secret_inst)
    files = render_manifest_files(render)
    committed = Repository(secret_inst.repo_path).files(render.commit_sha, "manifests")
    assert files.keys() == committed.keys()
    secret = yaml.safe_load(files[SECRET_FILE])
    assert secret["data"]["password"] == b64
    assert secret["stringData"]["url"] == f"postgres://app:{password}@db:5432/app"
    for path in committed:
        if path != SECRET_FILE:
            assert files[path] == committed[path]
    assert bytes(render.secret_manifests) and password.encode() not in bytes(
        render.secret_manifests
    )


def test_the_render_hash_is_the_hash_of_the_committed_files(secret_inst):
    from akua.packaging.manifests import ManifestFile, render_hash

    render = _deployed(secret_inst)
    committed = Repository(secret_inst.repo_path).files(render.commit_sha, "manifests")
    files = [ManifestFile(p.removeprefix("manifests/"), b) for p, b in committed.items()]
    assert render.render_hash == render_hash(files)


def test_a_new_value_changes_the_hash_and_commits_a_new_render(
    secret_inst, base, run_tasks, sensitive
):
    first = _deployed(secret_inst)
    repo = Repository(secret_inst.repo_path)
    marker = run_tasks(
        actions.set_sensitive_input,
        secret_inst,
        "password",
        sensitive.new_password,
        user=base.owner,
    )
    second = _deployed(secret_inst)
    assert second.pk != first.pk and second.render_hash != first.render_hash
    assert repo.log(limit=2)[1].subject == "Set secret password"
    assert f"password: {marker}" in repo.read_file(INPUTS_FILE).decode()
    assert yaml.safe_load(render_manifest_files(second)[SECRET_FILE])["data"]["password"] == (
        _b64(sensitive.new_password)
    )
    # The same value again: no commit for inputs.yaml, and the render is skipped.
    head = repo.head()
    run_tasks(
        actions.set_sensitive_input, secret_inst, "password", sensitive.new_password, user=None
    )
    assert repo.head() == head
    skipped = secret_inst.renders.order_by("-generation").first()
    assert skipped.state == Render.State.SKIPPED
    assert render_manifest_files(skipped)[SECRET_FILE] == render_manifest_files(second)[SECRET_FILE]
    assert sensitive.new_password not in git_history(secret_inst.repo_path)


def test_restoring_an_old_render_renders_it_with_the_value_it_had(
    secret_inst, base, run_tasks, sensitive
):
    first = _deployed(secret_inst)
    run_tasks(
        actions.set_sensitive_input,
        secret_inst,
        "password",
        sensitive.new_password,
        user=base.owner,
    )
    restored = run_tasks(actions.restore_render, first, user=base.owner)
    restored.refresh_from_db()
    assert restored.state == Render.State.DEPLOYED, restored.error
    assert restored.render_hash == first.render_hash
    secret = yaml.safe_load(render_manifest_files(restored)[SECRET_FILE])
    assert secret["data"]["password"] == _b64(sensitive.password)


def test_a_marker_without_a_stored_value_fails_the_render_clearly(secret_inst, base, run_tasks):
    repo = Repository(secret_inst.repo_path)
    before = _deployed(secret_inst)
    text = repo.read_file(INPUTS_FILE).decode()
    marker = SensitiveInput.objects.get(installation=secret_inst).marker
    repo.commit_files(
        {INPUTS_FILE: text.replace(marker, "akua-secret:sha256:000000000000").encode()},
        "Pushed a made-up marker",
        author=AKUA,
        parent=repo.head(),
    )
    head = repo.head()
    render = run_tasks(
        actions.request_render, secret_inst, trigger=Render.Trigger.MANUAL, user=base.owner
    )
    render.refresh_from_db()
    assert render.state == Render.State.FAILED
    assert render.error == (
        "inputs.yaml: password refers to a secret that is not set; set it with the wizard or "
        f"`manage.py set_secret_input {secret_inst.pk} password --stdin`"
    )
    assert repo.head() == head and _deployed(secret_inst) == before


def test_a_value_written_into_a_configmap_fails_the_render_and_nothing_is_committed(
    secret_inst, change_inputs, sensitive
):
    repo = Repository(secret_inst.repo_path)
    render = change_inputs(secret_inst, leak=True)
    assert render.state == Render.State.FAILED
    assert render.error.startswith(
        "ConfigMap/db (manifests/001-configmap-db.yaml) depends on a sensitive input at "
        "data.password: package.k copies a sensitive value"
    )
    assert repo.commit().subject == "Update inputs: leak"  # no render commit on top
    secret_inst.refresh_from_db()
    assert secret_inst.state == "failed" and sensitive.password not in secret_inst.state_reason
    assert sensitive.password not in git_history(secret_inst.repo_path)


def test_update_inputs_with_a_plain_value_commits_only_its_marker(
    secret_inst, change_inputs, sensitive
):
    change_inputs(secret_inst, apiToken=sensitive.token)
    row = SensitiveInput.objects.get(installation=secret_inst, path="apiToken")
    assert row.decrypt() == sensitive.token
    assert sensitive.token not in git_history(secret_inst.repo_path)
    secret = yaml.safe_load(render_manifest_files(_deployed(secret_inst))[SECRET_FILE])
    assert secret["stringData"]["token"] == sensitive.token


def test_nothing_logs_the_value(base, secret_version, run_tasks, change_inputs, caplog, sensitive):
    password, b64 = sensitive.password, _b64(sensitive.password)
    caplog.set_level(logging.DEBUG)
    inst = run_tasks(
        actions.create_installation,
        package_version=secret_version,
        customer_workspace=base.globex,
        name="logged",
        inputs={"password": password},
        user=base.owner,
    )
    change_inputs(inst, leak=True)
    assert caplog.records and password not in caplog.text and b64 not in caplog.text
