"""generate_package_version: fetch, vendor into upstream/<alias>/, pin, generate, publish."""

from __future__ import annotations

import tomllib

import pytest

from catalog.actions import PublishError, generate_package_version
from catalog.archive import read_files
from catalog.models import Source
from tests.catalog.registry import docker_registry, push_chart
from tests.packaging.servers import GitRepo, HelmRepo, sha256


def test_from_an_http_helm_repository(base, tmp_path, commented_tgz, acme_source):
    with HelmRepo(tmp_path / "repo") as repo:
        archive = repo.add("commented", "0.3.0", archive=commented_tgz())
        source = acme_source(Source.Kind.HELM_REPO, url=repo.url, chart="commented")
        version = generate_package_version(
            source,
            version_ref="0.3.0",
            package_version="1.0.0",
            exposed=["replicaCount", "image.tag"],
            ui={"replicaCount": {"label": "Pods", "group": "Scale"}},
            user=base.vendor,
        )
    files = read_files(bytes(version.archive))
    manifest = tomllib.loads(files["akua.toml"].decode())
    assert manifest["dependencies"]["commented"] == {
        "repo": repo.url,
        "chart": "commented",
        "version": "0.3.0",
        "digest": sha256(archive),
    }
    # a chart's checksum annotations may follow its Secrets: committed as keyed hashes
    assert manifest["secrets"] == {"checksum-annotations": ["checksum/*"]}
    assert "upstream/commented/Chart.yaml" in files
    assert b'digest = "' + sha256(archive).encode() in files["akua.lock"]
    props = version.input_schema["properties"]
    assert props["replicaCount"]["description"] == "Number of web pods to run."
    assert props["replicaCount"]["x-ui"] == {"order": 1, "label": "Pods", "group": "Scale"}
    assert version.package.source == source
    assert version.source_ref == "0.3.0"


def test_from_an_oci_registry(base, tmp_path, commented_tgz, acme_source):
    with docker_registry(tmp_path) as host:
        archive = commented_tgz("0.4.0")
        push_chart(host, "charts", archive, tmp_path, "commented", "0.4.0")
        source = acme_source(Source.Kind.OCI, url=f"oci://{host}/charts/commented")
        version = generate_package_version(
            source, version_ref="0.4.0", package_version="1.0.0", exposed=["service"], user=None
        )
    dep = tomllib.loads(read_files(bytes(version.archive))["akua.toml"].decode())["dependencies"]
    assert dep["commented"]["oci"] == f"oci://{host}/charts/commented"
    assert dep["commented"]["digest"] == sha256(archive)
    assert list(version.input_schema["properties"]) == ["service"]


def test_from_git_a_chart_pinned_by_commit(base, tmp_path, commented_tgz, acme_source):
    from tests.catalog.conftest import commented_chart_files

    with GitRepo(tmp_path / "git") as repo:
        files = {f"deploy/chart/{p}": b.decode() for p, b in commented_chart_files().items()}
        commit = repo.commit(files, tag="v1.0.0")
        repo.commit({"README": "later"})
        source = acme_source(Source.Kind.GIT, url=repo.url, git_ref="main", path="deploy/chart")
        version = generate_package_version(
            source, version_ref="v1.0.0", package_version="1.0.0", exposed=["replicaCount"]
        )
    dep = tomllib.loads(read_files(bytes(version.archive))["akua.toml"].decode())["dependencies"]
    assert dep["chart"]["rev"] == commit
    assert dep["chart"]["subdir"] == "deploy/chart"
    assert dep["chart"]["digest"].startswith("sha256:")
    assert version.source_ref == commit


def test_from_git_plain_manifests(base, tmp_path, acme_source):
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: b\n"
    with GitRepo(tmp_path / "git") as repo:
        commit = repo.commit({"k8s/configmap.yaml": manifest})
        source = acme_source(Source.Kind.GIT, url=repo.url, path="k8s", name="plain")
        version = generate_package_version(source, version_ref="main", package_version="1.0.0")
    files = read_files(bytes(version.archive))
    assert "upstream/k8s/configmap.yaml" in files
    assert commit in files["akua.toml"].decode()
    assert version.source_ref == commit


def test_from_an_uploaded_chart(base, commented_tgz, acme_source):
    source = acme_source(Source.Kind.CHART_UPLOAD, upload=commented_tgz())
    version = generate_package_version(
        source, version_ref="", package_version="1.0.0", exposed=["env"]
    )
    assert version.source_ref == "0.3.0"
    assert version.input_schema["properties"]["env"]["description"].startswith("Extra environment")


def test_from_an_image(base, acme_source):
    source = acme_source(Source.Kind.IMAGE, image="registry.example.com/shop", name="shop")
    version = generate_package_version(source, version_ref="v3", package_version="1.0.0")
    assert version.input_schema["properties"]["tag"]["default"] == "v3"
    assert version.source_ref == "v3"


def test_an_edited_program_is_published_as_edited(base, commented_tgz, acme_source):
    source = acme_source(Source.Kind.CHART_UPLOAD, upload=commented_tgz())
    from catalog.generation import generated_files

    files = generated_files(
        source, version_ref="", package_version="1.0.0", exposed=["replicaCount"], ui={}
    ).files
    edited = files["package.k"].decode().replace("Number of web pods to run.", "How many pods.")
    version = generate_package_version(
        source, version_ref="", package_version="1.0.0", exposed=["replicaCount"], package_k=edited
    )
    assert version.input_schema["properties"]["replicaCount"]["description"] == "How many pods."


def test_errors_come_back_as_publish_errors(base, tmp_path, acme_source):
    with HelmRepo(tmp_path) as repo:
        repo.add("web", "1.0.0")
        source = acme_source(Source.Kind.HELM_REPO, url=repo.url, chart="web")
        with pytest.raises(PublishError, match="9.9.9"):
            generate_package_version(source, version_ref="9.9.9", package_version="1.0.0")
        with pytest.raises(PublishError, match="the chart has no value nope"):
            generate_package_version(
                source, version_ref="1.0.0", package_version="1.0.0", exposed=["nope"]
            )
        broken = "schema Input:\n    x: int = 'no'\n"
        with pytest.raises(PublishError, match="package.k"):
            generate_package_version(
                source, version_ref="1.0.0", package_version="1.0.0", package_k=broken
            )
