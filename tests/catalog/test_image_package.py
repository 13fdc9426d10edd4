"""An image package: Deployment + Service, and an Ingress only when a host is given."""

from __future__ import annotations

from akua.packaging import export_schema, render
from akua.packaging.generate import akua_toml, image_package_k


def make(tmp_path):
    (tmp_path / "akua.toml").write_text(akua_toml("shop", "1.0.0"))
    (tmp_path / "package.k").write_text(image_package_k("shop", "registry.example.com/shop"))
    return tmp_path


def test_without_a_host_it_is_a_deployment_and_a_service(tmp_path):
    result = render(make(tmp_path), {"tag": "v7", "replicas": 2})
    assert [r["kind"] for r in result.resources] == ["Deployment", "Service"]
    container = result.resources[0]["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "registry.example.com/shop:v7"
    assert result.resources[0]["spec"]["replicas"] == 2


def test_a_host_adds_an_ingress_and_env_and_resources_reach_the_container(tmp_path):
    result = render(
        make(tmp_path),
        {
            "host": "shop.example.com",
            "port": 3000,
            "env": {"MODE": "prod"},
            "resources": {"cpuLimit": "2"},
        },
    )
    assert [r["kind"] for r in result.resources] == ["Deployment", "Service", "Ingress"]
    container = result.resources[0]["spec"]["template"]["spec"]["containers"][0]
    assert container["env"] == [{"name": "MODE", "value": "prod"}]
    assert container["ports"][0]["containerPort"] == 3000
    assert container["resources"]["limits"] == {"cpu": "2", "memory": "512Mi"}
    assert result.resources[2]["spec"]["rules"][0]["host"] == "shop.example.com"


def test_inputs_are_tag_replicas_port_host_env_resources(tmp_path):
    props = export_schema(make(tmp_path))["properties"]
    assert list(props) == ["tag", "replicas", "port", "host", "env", "resources"]
    assert props["tag"]["x-ui"]["label"] == "Image tag"
