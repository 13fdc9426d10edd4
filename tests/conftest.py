"""Shared pytest fixtures: an isolated AKUA_DATA_DIR per test run, the cast of people, the
suite's sensitive values — and, at the end of the session, a scan of every repository the
suite made for any of those values (a leak fails the run)."""

from __future__ import annotations

import base64
import os
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file of this worker's own, not Django's shared
    in-memory one: the live server's threads then open their own connections, and WAL
    and the busy timeout (settings.py) make a writer wait for another instead of failing
    with "database table is locked" (in-memory shared cache locks tables, and its locks
    ignore the busy timeout)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True)
def _isolated_repos(settings, tmp_path, tmp_path_factory):
    """Every test gets its own repositories directory so nothing leaks between tests."""
    settings.REPOS_DIR = tmp_path / "repos"
    settings.REPOS_DIR.mkdir()
    _SCANNED_ROOTS.add(tmp_path_factory.getbasetemp())
    yield


# -- the suite's sensitive values, and the scan that proves git never holds them ----------


@dataclass(frozen=True)
class SensitiveValues:
    """Every value a test gives a sensitive input (a password, a key, a token) — one place,
    so the end-of-session scan knows what to look for, in every form package code or a
    careless change could turn it into (`forms`)."""

    password: str = "s3cret-Pa55word-do-not-leak"
    new_password: str = "n3w-Pa55word-after-Rotation"
    api_key: str = "k3y-Typed-In-The-Wizard-42"
    token: str = "t0ken-Plain-For-An-Input-9"
    pushed: str = "pushed-in-Plain-text-77"  # what a push tries to commit in plain text

    def values(self) -> dict[str, str]:
        return asdict(self)

    def forms(self) -> dict[str, str]:
        """`{"password reversed": "kael-ton-od-…", …}`: each value as is, reversed, in
        base64, in hex and in upper case."""
        out: dict[str, str] = {}
        for name, value in self.values().items():
            out[name] = value
            out[f"{name} reversed"] = value[::-1]
            out[f"{name} base64"] = base64.b64encode(value.encode()).decode()
            out[f"{name} hex"] = value.encode().hex()
            out[f"{name} upper-case"] = value.upper()
        return out


SENSITIVE = SensitiveValues()


@pytest.fixture
def sensitive() -> SensitiveValues:
    """The suite's sensitive values (`SensitiveValues`); tests take them from here only."""
    return SENSITIVE


_SCANNED_ROOTS: set[Path] = set()
_LEAKS: list[str] = []
LEAKS_KEY = "akua_sensitive_leaks"


def bare_repositories(root: Path):
    """Every bare git repository under `root` (Akua's installation repositories and any other
    the suite served). A client's `.git` is not one: a test may commit a plain value in its
    own clone to show that a push of it is refused."""
    for dirpath, dirnames, filenames in os.walk(root):
        if "HEAD" in filenames and "objects" in dirnames and "refs" in dirnames:
            if os.path.basename(dirpath) != ".git":
                yield Path(dirpath)
            dirnames.clear()


def leaks_in(repo: Path, forms: dict[str, str]) -> list[str]:
    """The names of the `forms` found in any object of `repo` (all refs, all history, and
    objects no ref reaches)."""
    proc = subprocess.run(
        [
            "git",
            "--git-dir",
            str(repo),
            "cat-file",
            "--batch-all-objects",
            "--batch",
            "--unordered",
        ],
        capture_output=True,
        check=False,
    )
    found = [name for name, text in forms.items() if text.encode() in proc.stdout]
    if proc.returncode != 0:
        found.append(f"unreadable ({proc.stderr.decode(errors='replace').strip()[:200]})")
    return found


def _scan(config) -> list[str]:
    worker = getattr(config, "workerinput", {}).get("workerid", "")
    forms = SENSITIVE.forms()
    lines = []
    for root in sorted(_SCANNED_ROOTS):
        for repo in bare_repositories(root):
            for name in leaks_in(repo, forms):
                lines.append(f"{worker + ': ' if worker else ''}{repo} holds {name}")
    return lines


def _is_xdist_controller(config) -> bool:
    return config.pluginmanager.getplugin("dsession") is not None


def pytest_sessionfinish(session, exitstatus):
    """Scan every repository this process's tests made (on every xdist worker; the controller
    gathers the workers' findings, `pytest_testnodedown`). A sensitive value in any form
    fails the run."""
    config = session.config
    if not _is_xdist_controller(config):
        _LEAKS.extend(_scan(config))
    if hasattr(config, "workeroutput"):
        config.workeroutput[LEAKS_KEY] = list(_LEAKS)
    if _LEAKS:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    _LEAKS.extend(getattr(node, "workeroutput", {}).get(LEAKS_KEY, []))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _LEAKS and not hasattr(config, "workeroutput"):
        terminalreporter.section("sensitive values found in git", red=True)
        for line in _LEAKS:
            terminalreporter.line(line, red=True)
        terminalreporter.line(
            "A repository the suite made holds a sensitive test value (tests/conftest.py "
            "SensitiveValues): the run fails.",
            red=True,
        )


@pytest.fixture
def k8s_emulator():
    """A Kubernetes API emulator (emulators/kubernetes) per test, over HTTPS, with fast
    timings: a workload is ready after 0.2 s, a failing Deployment exceeds its progress
    deadline after 1 s (a test that needs others sets `.ready_after`/`.progress_deadline`)."""
    from emulators.kubernetes import Emulator

    with Emulator() as emulator:
        yield emulator


# -- the people of every test: a vendor, two customers, their members, a stranger ----------


@pytest.fixture
def base(db):
    """The one cast shared by the installations, views, git and clusters tests.

    - acme (vendor workspace) publishes: `vendor` is its owner (may change and delete its
      customers' installations), `vendor_member` a plain member (sees them, read-only);
    - globex (customer) installs: `owner` (may delete) and `member` (may edit, not delete);
    - initech (another customer): `outsider`, who must see nothing of globex's;
    - `stranger`: signed in, member of no workspace;
    - rival (another vendor workspace, `rival` its owner): no customer accepted it, so it
      installs into no customer workspace and sees none of their installations.

    globex and initech accepted acme's invitation (catalog.ties): acme installs there.
    """
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model

    from catalog.models import Membership, VendorTie, Workspace

    User = get_user_model()
    acme = Workspace.objects.create(slug="acme-b", name="Acme Software", kind=Workspace.Kind.VENDOR)
    globex = Workspace.objects.create(slug="globex-b", name="Globex", kind=Workspace.Kind.CUSTOMER)
    initech = Workspace.objects.create(
        slug="initech-b", name="Initech", kind=Workspace.Kind.CUSTOMER
    )
    vendor = User.objects.create_user(
        "b-vendor", email="vendor@acme.example", first_name="Vera", last_name="Vendor"
    )
    owner = User.objects.create_user(
        "b-owner", email="owner@globex.example", first_name="Olga", last_name="Owner"
    )
    member = User.objects.create_user("b-member", email="member@globex.example")
    outsider = User.objects.create_user("b-outsider", email="out@initech.example")
    vendor_member = User.objects.create_user("b-vendor-member", email="viewer@acme.example")
    stranger = User.objects.create_user("b-stranger", email="stranger@example.com")
    Membership.objects.create(workspace=acme, user=vendor, role=Membership.Role.OWNER)
    Membership.objects.create(workspace=globex, user=owner, role=Membership.Role.OWNER)
    Membership.objects.create(workspace=globex, user=member, role=Membership.Role.MEMBER)
    Membership.objects.create(workspace=initech, user=outsider, role=Membership.Role.OWNER)
    Membership.objects.create(workspace=acme, user=vendor_member, role=Membership.Role.MEMBER)
    rival = Workspace.objects.create(slug="rival-b", name="Rival Labs", kind=Workspace.Kind.VENDOR)
    rival_owner = User.objects.create_user("b-rival", email="owner@rival.example")
    Membership.objects.create(workspace=rival, user=rival_owner, role=Membership.Role.OWNER)
    for customer, decider in ((globex, owner), (initech, outsider)):
        VendorTie.objects.create(
            vendor=acme,
            customer=customer,
            state=VendorTie.State.ACCEPTED,
            invited_by=vendor,
            decided_by=decider,
        )
    return SimpleNamespace(
        acme=acme,
        globex=globex,
        initech=initech,
        vendor=vendor,
        owner=owner,
        member=member,
        outsider=outsider,
        vendor_member=vendor_member,
        stranger=stranger,
        rival=rival,
        rival_owner=rival_owner,
    )


@pytest.fixture
def run_tasks(settings, django_capture_on_commit_callbacks):
    """Call an action and run what it enqueued (django-q2 in sync mode) before returning."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def queued_renders(monkeypatch):
    """Render requests are collected here instead of going to django-q2 (the test runs them,
    `installations.actions.run_render`)."""
    from installations import enqueue

    queued: list[str] = []
    monkeypatch.setattr(enqueue, "enqueue_render", queued.append)
    return queued


@pytest.fixture
def install(base, run_tasks):
    """Create an installation of `package_version` and run its render (tasks inline):
    globex's, by its owner, unless `customer`/`user` say otherwise."""
    from installations.actions import create_installation

    def install(package_version, name, *, customer=None, user=None, inputs=None, **kwargs):
        inst = run_tasks(
            create_installation,
            package_version=package_version,
            customer_workspace=customer or base.globex,
            name=name,
            inputs=inputs or {},
            user=user or base.owner,
            **kwargs,
        )
        inst.refresh_from_db()
        return inst

    return install


@pytest.fixture
def change_inputs(base, run_tasks):
    """Change inputs of an installation from its head, as its owner unless `user` says who,
    and run the render (tasks inline): the render as it ended."""
    from installations import actions

    def change(installation, *, user=None, **changes):
        inputs, head = actions.current_inputs(installation)
        render = run_tasks(
            actions.update_inputs,
            installation,
            {**inputs, **changes},
            user=user or base.owner,
            base_sha=head,
        )
        render.refresh_from_db()
        return render

    return change


@pytest.fixture
def postgres_refusals(db):
    """What PostgreSQL (the production database) refuses and SQLite takes, refused here
    too: a NUL in any text value or query parameter, and in a JSON value (`\\u0000`), as
    psycopg's DataError. A request that sends one must never reach the database with it."""
    from django.db import DataError, connection

    def refuse(execute, sql, params, many, context):
        rows = params if many else [params]
        for row in rows or []:
            values = row.values() if isinstance(row, dict) else row or ()
            for value in values:
                if isinstance(value, str) and ("\x00" in value or "\\u0000" in value):
                    raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield
