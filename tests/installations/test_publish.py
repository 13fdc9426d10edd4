"""Publishing package versions: checked, immutable, refused with the packaging error."""

from __future__ import annotations

import io
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalog.actions import PublishError, publish_package_version
from catalog.archive import pack_directory, read_files
from catalog.models import PackageVersion
from tests.installations.conftest import write_package


def test_it_publishes_the_tree_and_caches_the_schema(base, shop_version, tmp_path):
    assert shop_version.package.name == "shop"
    assert shop_version.version == "1.0.0"
    assert shop_version.input_schema["properties"]["replicas"]["default"] == 1
    assert sorted(read_files(bytes(shop_version.archive))) == ["akua.toml", "package.k"]
    assert shop_version.digest.startswith("sha256:")
    assert shop_version.published_by == base.vendor


def test_a_broken_package_is_refused_with_the_packaging_message(base, tmp_path):
    directory = write_package(
        tmp_path / "broken", package_k="schema Input:\n    x: int = 1\n\nresources = [\n"
    )
    with pytest.raises(PublishError) as exc:
        publish_package_version(base.acme, directory, user=base.vendor)
    assert exc.value.message.startswith("package.k")
    assert str(tmp_path) not in exc.value.message
    assert not PackageVersion.objects.exists()


def test_a_package_that_does_not_render_with_its_example_inputs_is_refused(base, tmp_path):
    directory = write_package(tmp_path / "shop")
    (directory / "inputs.example.yaml").write_text("replicas: 9\n")
    with pytest.raises(PublishError, match="replicas must be at most 5"):
        publish_package_version(base.acme, directory, user=base.vendor)


def test_a_version_is_immutable(base, shop_version, tmp_path):
    directory = write_package(tmp_path / "again")
    (directory / "README.md").write_text("different bytes, same version")
    with pytest.raises(PublishError) as exc:
        publish_package_version(base.acme, directory, user=base.vendor)
    assert exc.value.message == (
        "version 1.0.0 of shop is already published; versions are immutable — bump the version in akua.toml"
    )
    with pytest.raises(ValueError):
        shop_version.save()


def test_a_customer_workspace_cannot_publish(base, tmp_path):
    with pytest.raises(PublishError, match="only vendor workspaces"):
        publish_package_version(base.globex, write_package(tmp_path / "x"), user=base.owner)


def test_a_tgz_publishes_like_the_directory(base, tmp_path):
    archive = pack_directory(write_package(tmp_path / "shop", version="1.1.0"))
    version = publish_package_version(base.acme, archive, user=base.vendor)
    assert version.version == "1.1.0"
    assert bytes(version.archive) == archive


def test_the_command_publishes_and_reports_errors(base, tmp_path, capsys):
    call_command("publish_package", str(write_package(tmp_path / "s")), workspace=base.acme.slug)
    assert "Published shop 1.0.0" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already published"):
        call_command(
            "publish_package", str(write_package(tmp_path / "s")), workspace=base.acme.slug
        )


def _tgz(files: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return raw.getvalue()


def test_the_admin_publish_form_shows_the_error_not_a_500(base, admin_client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:catalog_packageversion_publish")
    assert admin_client.get(url).status_code == 200
    broken = _tgz({"akua.toml": b"[package]\nname = 'shop'\n", "package.k": b"resources = []\n"})
    response = admin_client.post(
        url, {"workspace": base.acme.pk, "archive": SimpleUploadedFile("shop.tgz", broken)}
    )
    assert response.status_code == 200
    assert "Not published." in response.content.decode()
    assert "version is required" in response.content.decode()

    good = pack_directory(write_package(tmp_path / "shop"))
    response = admin_client.post(
        url, {"workspace": base.acme.pk, "archive": SimpleUploadedFile("shop.tgz", good)}
    )
    assert response.status_code == 302
    assert PackageVersion.objects.filter(package__name="shop", version="1.0.0").exists()

    response = admin_client.post(
        url, {"workspace": base.acme.pk, "directory": str(tmp_path / "shop")}
    )
    assert response.status_code == 200
    assert "already published" in response.content.decode()


def test_the_admin_shows_versions_read_only(base, shop_version, admin_client):
    response = admin_client.get(
        reverse("admin:catalog_packageversion_change", args=[shop_version.pk])
    )
    assert response.status_code == 200
    assert 'name="version"' not in response.content.decode()
