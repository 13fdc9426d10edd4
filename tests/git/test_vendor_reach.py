"""Finding 3 of issue 10 through git: a vendor's token clones only installations in the
workspaces the vendor reaches (its own, customers that accepted it: catalog.ties).

`shop` is acme's package installed in globex, which accepted acme (tests/conftest.py `base`).
"""

from __future__ import annotations

import pytest

from catalog.invitations import decline
from catalog.models import VendorTie
from tests.git.conftest import repo_url, token_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_vendor_token_clones_while_the_customer_accepts_it(live, shop, base, git, tmp_path):
    url = repo_url(live, shop, token_for(base.vendor, base.acme))
    assert (git.clone(url, tmp_path / "while-accepted") / "inputs.yaml").is_file()

    decline(VendorTie.objects.get(vendor=base.acme, customer=base.globex), user=base.owner)
    proc = git.run("clone", url, str(tmp_path / "after"), check=False)
    assert proc.returncode != 0 and "not found" in proc.stderr.lower()
    assert not (tmp_path / "after" / "inputs.yaml").exists()
    # The customer's own token still clones.
    owner = repo_url(live, shop, token_for(base.owner, base.globex))
    assert (git.clone(owner, tmp_path / "owner") / "inputs.yaml").is_file()


def test_a_second_vendor_token_never_reaches_another_vendors_customer(
    live, shop, base, git, tmp_path
):
    """rival has no tie to globex; and once globex accepts it, acme's installation there is
    still acme's, not rival's."""
    url = repo_url(live, shop, token_for(base.rival_owner, base.rival))
    proc = git.run("clone", url, str(tmp_path / "c"), check=False)
    assert proc.returncode != 0 and "not found" in proc.stderr.lower()
    # Accepted by globex, rival still does not reach acme's installation there.
    VendorTie.objects.create(vendor=base.rival, customer=base.globex, state="accepted")
    proc = git.run("clone", url, str(tmp_path / "c2"), check=False)
    assert proc.returncode != 0 and "not found" in proc.stderr.lower()
