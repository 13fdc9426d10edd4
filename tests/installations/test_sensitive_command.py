"""`manage.py set_secret_input`: reads the value from a file or stdin, never prints it."""

from __future__ import annotations

import io
import sys

import pytest
import yaml
from django.core.management import CommandError, call_command

from installations.inputs import INPUTS_FILE
from installations.models import Render, SensitiveInput
from installations.repository import Repository
from installations.sensitive import render_manifest_files
from tests.installations.conftest import git_history

VALUE = "from-the-Command-line-9"


def _secret_url(inst) -> str:
    render = inst.renders.filter(state=Render.State.DEPLOYED).order_by("-generation").first()
    files = render_manifest_files(render)
    return yaml.safe_load(files["manifests/000-secret-db-credentials.yaml"])["stringData"]["url"]


def test_it_sets_the_value_from_a_file_commits_the_marker_and_renders(
    secret_inst, base, run_tasks, tmp_path, capsys
):
    source = tmp_path / "password.txt"
    source.write_text(VALUE + "\n")
    run_tasks(
        call_command,
        "set_secret_input",
        secret_inst.pk,
        "password",
        "--from-file",
        str(source),
        "--user",
        base.owner.username,
    )
    out, err = capsys.readouterr()
    assert f"Set password of {secret_inst.pk}" in out
    assert VALUE not in out + err
    row = SensitiveInput.objects.filter(installation=secret_inst, path="password").latest(
        "created_at"
    )
    assert row.decrypt() == VALUE and row.updated_by == base.owner  # the newline dropped
    repo = Repository(secret_inst.repo_path)
    assert f"password: {row.marker}" in repo.read_file(INPUTS_FILE).decode()
    assert repo.log(limit=2)[1].subject == "Set secret password"
    assert _secret_url(secret_inst) == f"postgres://app:{VALUE}@db:5432/app"
    assert VALUE not in git_history(secret_inst.repo_path)


def test_it_reads_stdin(secret_inst, run_tasks, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(VALUE))
    run_tasks(call_command, "set_secret_input", secret_inst.pk, "apiToken", "--stdin")
    assert VALUE not in "".join(capsys.readouterr())
    row = SensitiveInput.objects.get(installation=secret_inst, path="apiToken")
    assert row.decrypt() == VALUE


def test_it_refuses_an_input_that_is_not_sensitive(secret_inst, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("db2"))
    with pytest.raises(CommandError, match="name is not a sensitive input of secret-input 1.0.0"):
        call_command("set_secret_input", secret_inst.pk, "name", "--stdin")


def test_it_refuses_an_empty_value_and_an_unknown_installation(secret_inst, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    with pytest.raises(CommandError, match="The value is empty"):
        call_command("set_secret_input", secret_inst.pk, "password", "--stdin")
    with pytest.raises(CommandError, match="No installation 'inst_nope'"):
        call_command("set_secret_input", "inst_nope", "password", "--stdin")
