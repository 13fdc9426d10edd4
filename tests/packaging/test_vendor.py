"""Vendoring: fetch once, pin by digest in akua.lock, then work from the local copies."""

from __future__ import annotations

import shutil

import pytest
import yaml

from akua.packaging.digest import tree_digest
from akua.packaging.errors import PackagingError
from akua.packaging.lock import LockEntry, read_lock, write_lock
from akua.packaging.manifest import load_manifest
from akua.packaging.vendor import vendor_all, vendor_dependency
from tests.packaging.servers import GitRepo, HelmRepo, OciRegistry, chart_tgz, sha256


def write_package(package_dir, dependencies: str):
    package_dir.mkdir(parents=True, exist_ok=True)
    (package_dir / "akua.toml").write_text(
        '[package]\nname = "shop"\nversion = "0.1.0"\nedition = "akua.dev/v1alpha1"\n\n'
        + dependencies
    )
    return package_dir


def chart_version(path):
    return yaml.safe_load((path / "Chart.yaml").read_text())["version"]


@pytest.fixture
def helm_repo(tmp_path):
    repo = HelmRepo(tmp_path / "repo")
    repo.archive = repo.add("demo", "1.0.0")
    repo.add("demo", "1.1.0")
    with repo:
        yield repo


@pytest.fixture
def package(tmp_path, helm_repo):
    return write_package(
        tmp_path / "pkg",
        f'[dependencies.web]\nrepo = "{helm_repo.url}"\nchart = "demo"\nversion = "1.0.0"\n\n'
        '[dependencies.local]\npath = "./charts/local"\n',
    )


def test_vendor_all_fetches_into_akua_vendor_and_writes_the_lock(package, helm_repo):
    entries = vendor_all(package)

    expected = LockEntry("web", "1.0.0", f"helm+{helm_repo.url}#demo", sha256(helm_repo.archive))
    assert entries == [expected]
    assert read_lock(package) == {"web": expected}
    assert chart_version(package / ".akua" / "vendor" / "web") == "1.0.0"
    assert [p.name for p in (package / ".akua" / "vendor").iterdir()] == ["web"]


def test_a_second_vendor_all_does_not_fetch_again(package, helm_repo):
    first = vendor_all(package)
    helm_repo.__exit__(None, None, None)  # the repository is gone: any fetch would fail

    assert vendor_all(package) == first


def test_a_tampered_lock_digest_is_a_mismatch_naming_the_dependency(package, helm_repo):
    vendor_all(package)
    entry = read_lock(package)["web"]
    write_lock(
        package, {"web": LockEntry("web", entry.version, entry.source, "sha256:" + "0" * 64)}
    )
    shutil.rmtree(package / ".akua" / "vendor" / "web")

    with pytest.raises(PackagingError) as error:
        vendor_all(package)

    message = str(error.value)
    assert "digest mismatch for dependency 'web'" in message
    assert f"akua.lock pins sha256:{'0' * 64}" in message
    assert f"the fetched copy is {sha256(helm_repo.archive)}" in message
    assert "vendor again" in message
    assert "\n" not in message
    assert not (package / ".akua" / "vendor" / "web").exists()
    assert read_lock(package)["web"].digest == "sha256:" + "0" * 64


def test_a_digest_pinned_in_akua_toml_is_checked_before_anything_is_written(tmp_path, helm_repo):
    package = write_package(
        tmp_path / "pkg",
        f'[dependencies.web]\nrepo = "{helm_repo.url}"\nchart = "demo"\nversion = "1.0.0"\n'
        f'digest = "sha256:{"1" * 64}"\n',
    )

    with pytest.raises(PackagingError, match="akua.toml pins sha256:1111"):
        vendor_all(package)

    assert read_lock(package) == {}
    assert not (package / ".akua" / "vendor" / "web").exists()


def test_a_matching_akua_toml_digest_is_accepted(tmp_path, helm_repo):
    package = write_package(
        tmp_path / "pkg",
        f'[dependencies.web]\nrepo = "{helm_repo.url}"\nchart = "demo"\nversion = "1.0.0"\n'
        f'digest = "{sha256(helm_repo.archive)}"\n',
    )

    assert vendor_all(package)[0].digest == sha256(helm_repo.archive)


def test_changing_the_version_in_akua_toml_fetches_the_new_version(package, helm_repo):
    vendor_all(package)
    toml = (package / "akua.toml").read_text().replace('version = "1.0.0"', 'version = "1.1.0"')
    (package / "akua.toml").write_text(toml)

    [entry] = vendor_all(package)

    assert entry.version == "1.1.0"
    assert chart_version(package / ".akua" / "vendor" / "web") == "1.1.0"


def test_a_vendored_chart_that_no_longer_matches_the_lock_is_reported(package):
    vendor_all(package)
    chart_yaml = package / ".akua" / "vendor" / "web" / "Chart.yaml"
    chart_yaml.write_text(chart_yaml.read_text().replace("1.0.0", "6.6.6"))

    with pytest.raises(PackagingError, match="holds chart version 6.6.6 but akua.lock pins 1.0.0"):
        vendor_all(package)


def test_vendor_dependency_returns_the_directory_and_keeps_other_lock_entries(package):
    other = LockEntry("other", "2.0.0", "oci://r.example.com/other", "sha256:" + "2" * 64)
    write_lock(package, {"other": other})
    dep = load_manifest(package).dependencies["web"]

    path = vendor_dependency(package, dep)

    assert path == package / ".akua" / "vendor" / "web"
    assert set(read_lock(package)) == {"other", "web"}


def test_a_failed_refetch_leaves_the_previous_copy_in_place(package, helm_repo):
    dep = load_manifest(package).dependencies["web"]
    vendor_dependency(package, dep)
    (helm_repo.root / "charts" / "demo-1.0.0.tgz").write_bytes(chart_tgz("demo", "1.0.0-evil"))

    with pytest.raises(PackagingError, match="digest mismatch"):
        vendor_dependency(package, dep)

    assert chart_version(package / ".akua" / "vendor" / "web") == "1.0.0"
    assert [p.name for p in (package / ".akua" / "vendor").iterdir()] == ["web"]


def test_an_author_vendored_upstream_copy_is_verified_against_its_source_then_locked(
    package, helm_repo
):
    vendor_all(package)
    (package / ".akua" / "vendor" / "web").rename(package / "upstream-copy")
    (package / "upstream").mkdir()
    (package / "upstream-copy").rename(package / "upstream" / "web")
    (package / "akua.lock").unlink()

    [entry] = vendor_all(package)

    assert entry.digest == sha256(helm_repo.archive)
    assert not (package / ".akua" / "vendor" / "web").exists()


def test_an_upstream_copy_that_differs_from_its_source_is_refused(package):
    (package / "upstream" / "web").mkdir(parents=True)
    (package / "upstream" / "web" / "Chart.yaml").write_text("name: demo\nversion: 1.0.0\n")

    with pytest.raises(PackagingError, match="upstream/web/ differs from"):
        vendor_all(package)


def test_oci_and_git_dependencies_are_vendored_too(tmp_path):
    git_repo = GitRepo(tmp_path / "git")
    commit = git_repo.commit({"Chart.yaml": "name: g\nversion: 0.1.0\n"}, tag="v0.1.0")
    with OciRegistry() as registry, git_repo:
        layer = registry.push("charts/demo", "1.0.0", chart_tgz("demo", "1.0.0"))
        package = write_package(
            tmp_path / "pkg",
            f'[dependencies.db]\noci = "{registry.url}/charts/demo"\nversion = "1.0.0"\n\n'
            f'[dependencies.tool]\ngit = "{git_repo.url}"\ntag = "v0.1.0"\n',
        )

        db, tool = vendor_all(package)

    assert (db.version, db.digest) == ("1.0.0", layer)
    assert tool.version == commit
    assert tool.digest == tree_digest(package / ".akua" / "vendor" / "tool")
    assert vendor_all(package) == [db, tool]  # servers are stopped: served from the vendor dir


def test_a_modified_vendored_git_copy_is_reported(tmp_path):
    git_repo = GitRepo(tmp_path / "git")
    git_repo.commit({"deploy.yaml": "kind: Deployment\n"}, tag="v1")
    package = write_package(
        tmp_path / "pkg", f'[dependencies.tool]\ngit = "{git_repo.file_url}"\ntag = "v1"\n'
    )
    vendor_all(package)
    (package / ".akua" / "vendor" / "tool" / "deploy.yaml").write_text("kind: Pod\n")

    with pytest.raises(PackagingError, match="vendored copy in .akua/vendor/tool/ was changed"):
        vendor_all(package)


def test_path_dependencies_are_not_fetched(tmp_path):
    package = write_package(tmp_path / "pkg", '[dependencies.local]\npath = "./charts/local"\n')

    assert vendor_all(package) == []
    with pytest.raises(PackagingError, match="only helm, oci and git ones are fetched"):
        vendor_dependency(package, load_manifest(package).dependencies["local"])


# -- akua.lock as Akua's own tool writes it ------------------------------------------------

AKUA_LOCK = """\
# akua.lock — machine-maintained. Never hand-edit.

version = 1

[[package]]
name    = "{name}"
version = "{version}"
source  = "{source}"
digest  = "{digest}"
signature = "cosign:key:acme"
dependencies = [
  "common@2.20.0",
]
"""


def _akua_lock(package, **fields) -> bytes:
    text = AKUA_LOCK.format(**fields)
    (package / "akua.lock").write_text(text)
    return text.encode()


@pytest.mark.parametrize("form", ["helm+{url}#demo", "helm+{url}/#demo", "{url}/demo"])
def test_an_akua_lock_pin_of_a_helm_repository_is_verified_not_rewritten(package, helm_repo, form):
    written = _akua_lock(
        package,
        name="web",
        version="1.0.0",
        source=form.format(url=helm_repo.url),
        digest=sha256(helm_repo.archive),
    )

    [entry] = vendor_all(package)

    assert entry.digest == sha256(helm_repo.archive)
    assert dict(entry.extra)["signature"] == "cosign:key:acme"
    assert (package / "akua.lock").read_bytes() == written  # the same file, byte for byte
    assert vendor_all(package) == [entry]  # and again, from the vendored copy


def test_a_wrong_akua_lock_pin_of_a_helm_repository_is_a_mismatch(package, helm_repo):
    wrong = "sha256:" + "0" * 64
    written = _akua_lock(
        package, name="web", version="1.0.0", source=f"helm+{helm_repo.url}#demo", digest=wrong
    )

    with pytest.raises(PackagingError, match=f"akua.lock pins {wrong}"):
        vendor_all(package)

    assert (package / "akua.lock").read_bytes() == written
    assert not (package / ".akua" / "vendor" / "web").exists()


@pytest.mark.parametrize("right", [True, False])
def test_an_akua_lock_pin_of_an_oci_chart_is_verified(tmp_path, right):
    with OciRegistry() as registry:
        layer = registry.push("charts/demo", "1.0.0", chart_tgz("demo", "1.0.0"))
        package = write_package(
            tmp_path / "pkg",
            f'[dependencies.db]\noci = "{registry.url}/charts/demo"\nversion = "1.0.0"\n',
        )
        digest = layer if right else "sha256:" + "1" * 64
        written = _akua_lock(
            package, name="db", version="1.0.0", source=f"{registry.url}/charts/demo", digest=digest
        )
        if right:
            [entry] = vendor_all(package)
            assert entry.digest == layer
        else:
            with pytest.raises(PackagingError, match="digest mismatch for dependency 'db'"):
                vendor_all(package)
    assert (package / "akua.lock").read_bytes() == written


def test_fields_of_an_akua_lock_survive_a_change_of_another_entry(package, helm_repo):
    _akua_lock(
        package,
        name="web",
        version="1.0.0",
        source=f"helm+{helm_repo.url}#demo",
        digest=sha256(helm_repo.archive),
    )
    vendor_all(package)
    toml = (package / "akua.toml").read_text()
    (package / "akua.toml").write_text(
        toml
        + f'\n[dependencies.more]\nrepo = "{helm_repo.url}"\nchart = "demo"\nversion = "1.1.0"\n'
    )

    vendor_all(package)

    lock = read_lock(package)
    assert set(lock) == {"web", "more"}
    assert dict(lock["web"].extra) == {
        "signature": "cosign:key:acme",
        "dependencies": ["common@2.20.0"],
    }
