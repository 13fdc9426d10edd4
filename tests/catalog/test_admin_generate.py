"""The admin flow: add a source, see upstream versions, generate (edit package.k), publish."""

from __future__ import annotations

from django.urls import reverse

from catalog.models import PackageVersion, Source
from tests.packaging.servers import HelmRepo


def test_adding_an_uploaded_chart_source(base, admin_client, commented_tgz):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin_client.post(
        reverse("admin:catalog_source_add"),
        {
            "workspace": base.acme.pk,
            "name": "web",
            "kind": "chart_upload",
            "exposed_values": "[]",
            "ui": "{}",
            "chart_file": SimpleUploadedFile("web.tgz", commented_tgz()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert bytes(Source.objects.get(name="web").upload) == commented_tgz()


def test_a_helm_source_without_chart_name_is_refused(base, admin_client):
    response = admin_client.post(
        reverse("admin:catalog_source_add"),
        {
            "workspace": base.acme.pk,
            "name": "web",
            "kind": "helm_repo",
            "url": "https://x",
            "exposed_values": "[]",
            "ui": "{}",
        },
    )
    assert "needs this" in response.content.decode()


def test_generate_review_edit_and_publish(base, admin_client, tmp_path, commented_tgz, acme_source):
    with HelmRepo(tmp_path) as repo:
        repo.add("commented", "0.3.0", archive=commented_tgz())
        source = acme_source(Source.Kind.HELM_REPO, url=repo.url, chart="commented")
        change = admin_client.get(reverse("admin:catalog_source_change", args=[source.pk]))
        assert "Generate new version" in change.content.decode()
        admin_client.post(
            reverse("admin:catalog_source_changelist"),
            {"action": "check_now", "_selected_action": [source.pk]},
        )
        source.refresh_from_db()
        assert source.upstream_versions == ["0.3.0"]

        url = reverse("admin:catalog_source_generate", args=[source.pk])
        step1 = admin_client.get(url, {"version": "0.3.0"}).content.decode()
        assert 'value="image.tag"' in step1
        assert "Image tag; defaults to the chart&#x27;s appVersion." in step1

        step2 = admin_client.post(
            url,
            {"step": "review", "version": "0.3.0", "package_version": "1.0.0",
             "exposed": ["replicaCount", "image.tag"]},
        )  # fmt: skip
        package_k = step2.context["package_k"]
        assert '"""Number of web pods to run."""' in package_k

        broken = package_k.replace("replicaCount: int = 1", "replicaCount: int = 'x'")
        refused = admin_client.post(
            url,
            {"step": "publish", "version": "0.3.0", "package_version": "1.0.0",
             "exposed": ["replicaCount", "image.tag"], "package_k": broken},
        )  # fmt: skip
        assert "Not published." in refused.content.decode()
        assert refused.context["package_k"] == broken  # nothing lost

        edited = package_k.replace(
            "    replicaCount: int = 1",
            '    @ui(label="Pods", group="Scale")\n    replicaCount: int = 1',
        )
        done = admin_client.post(
            url,
            {"step": "publish", "version": "0.3.0", "package_version": "1.0.0",
             "exposed": ["replicaCount", "image.tag"], "package_k": edited},
        )  # fmt: skip
    assert done.status_code == 302
    version = PackageVersion.objects.get(package__name="web", version="1.0.0")
    assert version.input_schema["properties"]["replicaCount"]["x-ui"] == {
        "label": "Pods",
        "group": "Scale",
    }
    source.refresh_from_db()
    assert source.exposed_values == ["replicaCount", "image.tag"]
    change = admin_client.get(reverse("admin:catalog_source_change", args=[source.pk]))
    assert "generated" in change.content.decode()
