"""Who sees which installation: members of its customer or vendor workspace; others get 404."""

from __future__ import annotations

import pytest
from django.http import Http404

from installations import access, actions


def test_a_customer_cannot_see_another_customers_installation(installation, base):
    assert list(access.installations_for_user(base.outsider)) == []
    with pytest.raises(Http404):
        access.get_installation_for_user(base.outsider, installation.pk)
    with pytest.raises(Http404):
        access.get_render_for_user(base.outsider, installation.renders.get().pk)
    assert not access.can_change_installation(base.outsider, installation)


def test_members_of_the_customer_and_the_vendor_see_it(installation, base):
    for user in (base.owner, base.member, base.vendor):
        assert access.get_installation_for_user(user, installation.pk) == installation
        assert access.get_render_for_user(
            user, installation.renders.get().pk, installation=installation
        )
    assert access.can_change_installation(base.member, installation)
    assert access.can_change_installation(base.vendor, installation)


def test_a_deleted_installation_is_read_only_and_left_out_of_lists(installation, base):
    actions.delete_installation(installation, user=base.owner)
    assert access.get_installation_for_user(base.owner, installation.pk) == installation
    for asked in ({"write": True}, {"delete": True}):
        with pytest.raises(Http404):
            access.get_installation_for_user(base.owner, installation.pk, **asked)
    assert list(access.installations_for_user(base.owner)) == []
    assert list(access.installations_for_user(base.owner, include_deleted=True)) == [installation]


def test_anonymous_sees_nothing(installation):
    from django.contrib.auth.models import AnonymousUser

    assert list(access.installations_for_user(AnonymousUser())) == []
