"""Shared pytest fixtures: an isolated AKUA_DATA_DIR per test run."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_repos(settings, tmp_path):
    """Every test gets its own repositories directory so nothing leaks between tests."""
    settings.REPOS_DIR = tmp_path / "repos"
    settings.REPOS_DIR.mkdir()
    yield


@pytest.fixture
def k8s_emulator():
    """A Kubernetes API emulator (emulators/kubernetes) per test, over HTTPS, with fast
    timings: a workload is ready after 0.2 s, a failing Deployment exceeds its progress
    deadline after 1 s (a test that needs others sets `.ready_after`/`.progress_deadline`)."""
    from emulators.kubernetes import Emulator

    emulator = Emulator().start()
    try:
        yield emulator
    finally:
        emulator.stop()


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
