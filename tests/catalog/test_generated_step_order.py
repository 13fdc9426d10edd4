"""The wizard's step order of a generated package is values.yaml's key order, essentials first,
carried in `x-ui.order`: it survives the database (PostgreSQL's jsonb keeps no key order; this
test runs in .ci/run's PostgreSQL pass too)."""

from __future__ import annotations

import yaml

from catalog.actions import generate_package_version
from catalog.models import PackageVersion, Source
from tests.catalog.conftest import PROXY

ESSENTIALS = ["image", "ports", "service"]


def by_order(props: dict) -> list[str]:
    return sorted(props, key=lambda k: props[k]["x-ui"]["order"])


def test_steps_follow_values_yaml_with_the_essentials_first(base, proxy_tgz, acme_source):
    source = acme_source(Source.Kind.CHART_UPLOAD, upload=proxy_tgz, name="proxy")
    keys = list(yaml.safe_load((PROXY / "values.yaml").read_text()))
    generate_package_version(
        source,
        version_ref="",
        package_version="1.0.0",
        exposed=[f'"{k}"' if not k.isidentifier() else k for k in keys],
        essentials=ESSENTIALS,
    )
    stored = PackageVersion.objects.get(package__name="proxy", version="1.0.0").input_schema
    props = stored["properties"]
    assert by_order(props) == ESSENTIALS + [k for k in keys if k not in ESSENTIALS]
    assert [k for k in by_order(props) if not props[k]["x-ui"].get("advanced")] == ESSENTIALS
    deployment = props["deployment"]["properties"]
    assert by_order(deployment)[:4] == [
        "enabled",
        "kind",
        "replicas",
        "terminationGracePeriodSeconds",
    ]
    web = props["ports"]["properties"]["web"]["properties"]
    assert by_order(web)[:4] == ["port", "hostPort", "containerPort", "expose"]
    volume = props["volumes"]["items"]["properties"]
    assert by_order(volume) == ["name", "mountPath", "type", "subPath"]
