"""Quantities in the canonical form apimachinery's resource.Quantity writes them, and the
emulator storing them that way (so `1000m` applied reads back as `1`)."""

from __future__ import annotations

import json

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from emulators.kubernetes import Emulator, quantity
from tests.kube_objects import claim, crd, deployment

CANONICAL = [
    # decimal SI: trailing zeros dropped, the exponent a multiple of three
    ("1000m", "1"),
    ("1500m", "1500m"),
    ("0.5", "500m"),
    (".5", "500m"),
    ("5.", "5"),
    ("1", "1"),
    ("+1", "1"),
    ("-1500m", "-1500m"),
    ("1.5k", "1500"),
    ("1500000", "1500k"),
    ("524288000", "524288k"),
    ("128974848", "128974848"),
    ("129M", "129M"),
    ("1000M", "1G"),
    ("100u", "100u"),
    ("0.1n", "1n"),  # rounded up to nano precision
    ("0.0000000001", "1n"),
    # binary SI: the largest power of 1024 that divides it, else decimal
    ("1024Mi", "1Gi"),
    ("500Mi", "500Mi"),
    ("1.5Gi", "1536Mi"),
    ("1Ki", "1Ki"),
    ("1.5Ki", "1536"),
    ("0.5Ki", "512"),
    ("0.5Mi", "512Ki"),
    ("8Ei", "9223372036854775807"),  # capped at the int64 maximum
    # decimal exponent
    ("1e3", "1e3"),
    ("1E3", "1e3"),
    ("12e-1", "1200e-3"),
    ("1.1e-3", "1100e-6"),
    # zero, whatever its suffix
    ("0", "0"),
    ("0m", "0"),
    ("0Gi", "0"),
    # JSON numbers
    (1, "1"),
    (0.5, "500m"),
    (2.0, "2"),
]


@pytest.mark.parametrize("given,expected", CANONICAL, ids=[str(g) for g, _ in CANONICAL])
def test_canonical_form(given, expected):
    assert quantity.canonicalise(given) == expected


ROUNDED = [("100u", "1m"), ("0.0001", "1m"), ("1.1e-3", "2e-3"), ("250m", "250m"), ("2Gi", "2Gi")]


@pytest.mark.parametrize("given,expected", ROUNDED)
def test_resource_lists_round_up_to_milli(given, expected):
    assert quantity.round_up(given) == expected


@pytest.mark.parametrize("bad", ["", "abc", "1Zi", "1.2.3", "m", "1 Gi", "--1", True, None, [1]])
def test_what_is_not_a_quantity(bad):
    with pytest.raises(
        quantity.QuantityError, match="quantities must match the regular expression"
    ):
        quantity.canonicalise(bad)


def _deployment(resources: dict) -> dict:
    volumes = [{"name": "tmp", "emptyDir": {"sizeLimit": "1024Mi"}}]
    return deployment(container={"resources": resources}, pod={"volumes": volumes})


@pytest.fixture
def quiet_emulator():
    """An emulator without the simulated controllers: nothing but the test writes, so a
    resourceVersion that moves was moved by the test's own request (with them, the
    Deployment's status would change between two applies whenever a tick fell there)."""
    with Emulator(controller=False) as emulator:
        yield emulator


def test_stored_quantities_are_canonical_and_the_same_apply_changes_nothing(quiet_emulator):
    deployments = quiet_emulator.dynamic_client().resources.get(
        api_version="apps/v1", kind="Deployment"
    )
    resources = {"limits": {"cpu": "1000m", "memory": "524288000"}, "requests": {"cpu": 0.5}}
    applied = deployments.server_side_apply(
        body=_deployment(resources), namespace="default", field_manager="akua"
    ).to_dict()
    spec = applied["spec"]["template"]["spec"]
    assert spec["containers"][0]["resources"] == {
        "limits": {"cpu": "1", "memory": "524288k"},
        "requests": {"cpu": "500m"},
    }
    assert spec["volumes"][0]["emptyDir"] == {"sizeLimit": "1Gi"}
    version = applied["metadata"]["resourceVersion"]
    again = deployments.server_side_apply(
        body=_deployment(resources), namespace="default", field_manager="akua"
    ).to_dict()
    assert again["metadata"]["resourceVersion"] == version  # no change, no conflict


def test_a_claims_storage_request_is_canonical(k8s_emulator):
    core = client.CoreV1Api(k8s_emulator.api_client())
    made = core.create_namespaced_persistent_volume_claim("default", claim("data", "1024Mi"))
    assert made.spec.resources.requests == {"storage": "1Gi"}


def test_an_invalid_quantity_is_a_400_in_the_servers_words(k8s_emulator):
    core = client.CoreV1Api(k8s_emulator.api_client())
    with pytest.raises(ApiException) as raised:
        core.create_namespaced_limit_range(
            "default",
            {
                "metadata": {"name": "l"},
                "spec": {"limits": [{"type": "Container", "max": {"cpu": "lots"}}]},
            },
        )
    assert raised.value.status == 400
    message = json.loads(raised.value.body)["message"]
    assert message.startswith(
        'LimitRange in version "v1" cannot be handled as a LimitRange: quantities must match'
    )


def test_a_custom_resource_keeps_its_quantities_as_written(k8s_emulator):
    dyn = k8s_emulator.dynamic_client()
    crds = dyn.resources.get(api_version="apiextensions.k8s.io/v1", kind="CustomResourceDefinition")
    crds.create(body=crd("Cache", schema=None))
    k8s_emulator.step()
    caches = k8s_emulator.dynamic_client().resources.get(api_version="example.com/v1", kind="Cache")
    made = caches.create(
        namespace="default",
        body={
            "apiVersion": "example.com/v1",
            "kind": "Cache",
            "metadata": {"name": "c"},
            "spec": {"memory": "1024Mi", "cpu": "1000m"},
        },
    )
    assert made.spec.to_dict() == {"memory": "1024Mi", "cpu": "1000m"}
