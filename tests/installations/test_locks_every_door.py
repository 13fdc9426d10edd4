"""A vendor's lock is the installation domain's rule: every action that changes inputs
refuses a locked change with the same message naming the input, and writes nothing.
(The wizard, its YAML view and one-page mode: tests/wizard/test_locks.py; git pushes and
change requests through the git client: tests/git/test_push_locks.py.)"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from installations.actions import (
    InstallationError,
    create_installation,
    current_inputs,
    set_sensitive_input,
    update_inputs,
    update_inputs_text,
    upgrade_installation,
)
from installations.models import FieldOverride, Installation
from installations.repository import Repository

MESSAGE = "replicas is locked by the vendor and cannot be changed."


@pytest.fixture
def locked(installation, shop_version):
    return FieldOverride.objects.create(
        package=shop_version.package, installation=installation, field="replicas", locked=True
    )


def _head(inst):
    return Repository(inst.repo_path).head()


def test_update_inputs_refuses_a_locked_change(installation, locked, base):
    head = _head(installation)
    with pytest.raises(ValidationError) as refused:
        update_inputs(
            installation, {"replicas": 4, "message": "hi"}, user=base.owner, base_sha=head
        )
    assert refused.value.message_dict == {"replicas": [MESSAGE]}
    assert _head(installation) == head
    # Other inputs still change; the locked one left as it is.
    update_inputs(installation, {"replicas": 2, "message": "new"}, user=base.owner, base_sha=head)
    assert current_inputs(installation)[0] == {"replicas": 2, "message": "new"}


def test_update_inputs_text_refuses_a_locked_change(installation, locked, base):
    head = _head(installation)
    with pytest.raises(ValidationError) as refused:
        update_inputs_text(
            installation, "replicas: 3\nmessage: hi\n", user=base.owner, base_sha=head
        )
    assert refused.value.message_dict == {"replicas": [MESSAGE]}
    assert _head(installation) == head


def test_an_upgrade_refuses_a_value_for_a_locked_input(installation, locked, base, publish):
    v2 = publish("2.0.0")
    head = _head(installation)
    with pytest.raises(InstallationError, match=MESSAGE):
        upgrade_installation(installation, v2, user=base.owner, values={"replicas": 5})
    assert _head(installation) == head
    upgrade_installation(installation, v2, user=base.owner)  # no values: nothing locked moves
    assert _head(installation) != head


def test_a_new_installation_takes_the_fixed_value_only(base, shop_version):
    FieldOverride.objects.create(
        package=shop_version.package, field="replicas", locked=True, has_value=True, value=1
    )
    with pytest.raises(ValidationError) as refused:
        create_installation(
            package_version=shop_version,
            customer_workspace=base.globex,
            name="other",
            inputs={"replicas": 3},
            user=base.owner,
        )
    assert refused.value.message_dict == {"replicas": [MESSAGE]}
    assert not Installation.objects.filter(name="other").exists()


def test_setting_a_locked_sensitive_input_is_refused(base, secret_inst, secret_version, sensitive):
    FieldOverride.objects.create(package=secret_version.package, field="password", locked=True)
    head = _head(secret_inst)
    with pytest.raises(InstallationError, match="password is locked by the vendor"):
        set_sensitive_input(secret_inst, "password", sensitive.new_password, user=base.owner)
    assert _head(secret_inst) == head


@pytest.mark.parametrize(
    ("field", "stored"),
    [("redis-ha.enabled", '"redis-ha".enabled'), ('config."a.b"', 'config."a.b"')],
)
def test_override_paths_are_stored_canonically(shop_version, field, stored):
    row = FieldOverride.objects.create(package=shop_version.package, field=field)
    assert row.field == stored
