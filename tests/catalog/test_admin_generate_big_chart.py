"""The "Generate new version" page on a big chart: a first generation proposes every top-level
section, the review reports `lookup` calls and schema defaults, and a package with no inputs is
published only once the vendor confirms it."""

from __future__ import annotations

from django.urls import reverse

from catalog.models import PackageVersion, Source


def upload_source(base, proxy_tgz) -> Source:
    return Source.objects.create(
        workspace=base.acme, name="proxy", kind=Source.Kind.CHART_UPLOAD, upload=proxy_tgz
    )


def test_a_first_generation_proposes_every_top_level_section(base, admin_client, proxy_tgz):
    source = upload_source(base, proxy_tgz)
    url = reverse("admin:catalog_source_generate", args=[source.pk])
    page = admin_client.get(url)
    rows = page.context["values"]
    assert len(rows) > 500
    assert all(row.checked for row in rows)
    assert page.context["checked_count"] == len(rows)
    assert [r.path for r in rows if r.essential] == [
        "image",
        "ports",
        "service",
        "env",
        "resources",
        "persistence",
    ]
    paths = [r.path for r in rows]
    assert '"redis-ha".enabled' in paths and '"proxy.ini".server.root_url' in paths
    html = page.content.decode()
    assert 'value="&quot;redis-ha&quot;.enabled"' in html
    assert "A first generation" in html
    assert "js/generate-values.js" in html


def test_the_vendors_last_choice_is_checked_next_time(base, admin_client, proxy_tgz):
    source = upload_source(base, proxy_tgz)
    source.exposed_values = ["image.tag", '"redis-ha"']
    source.essential_values = ['"redis-ha"']
    source.save()
    page = admin_client.get(reverse("admin:catalog_source_generate", args=[source.pk]))
    checked = {r.path for r in page.context["values"] if r.checked}
    assert checked == {"image.tag"} | {
        r.path for r in page.context["values"] if r.path.startswith('"redis-ha"')
    }
    assert [r.path for r in page.context["values"] if r.essential] == ['"redis-ha"']
    assert "A first generation" not in page.content.decode()


def test_the_review_reports_lookup_calls_and_schema_defaults(base, admin_client, proxy_tgz):
    source = upload_source(base, proxy_tgz)
    url = reverse("admin:catalog_source_generate", args=[source.pk])
    review = admin_client.post(
        url,
        {
            "step": "review",
            "version": "",
            "package_version": "1.0.0",
            "exposed": ["image", "deployment", '"redis-ha"'],
            "essential": ["image"],
        },
    )
    html = review.content.decode()
    assert review.context["step"] == 2
    for place in (
        "charts/common/templates/_secrets.tpl:7",
        "templates/NOTES.txt:2",
        "templates/hub.yaml:2",
    ):
        assert place in html
    assert "NOTES.txt is never rendered" in html
    assert "<code>deployment.replicas</code>: the schema says <code>3</code>" in html
    assert '"redis-ha": RedisHa' in review.context["package_k"]
    source.refresh_from_db()
    assert source.exposed_values == ["image", "deployment", '"redis-ha"']
    assert source.essential_values == ["image"]


def test_a_package_with_no_inputs_is_published_only_when_confirmed(base, admin_client, proxy_tgz):
    source = upload_source(base, proxy_tgz)
    url = reverse("admin:catalog_source_generate", args=[source.pk])
    review = admin_client.post(url, {"step": "review", "version": "", "package_version": "1.0.0"})
    package_k = review.context["package_k"]
    form = {"step": "publish", "version": "", "package_version": "1.0.0", "package_k": package_k}
    refused = admin_client.post(url, form)
    assert refused.status_code == 200
    assert "has no inputs" in refused.content.decode()
    assert 'name="confirm_no_inputs"' in refused.content.decode()
    assert refused.context["package_k"] == package_k
    assert not PackageVersion.objects.filter(package__name="proxy").exists()

    done = admin_client.post(url, {**form, "confirm_no_inputs": "1"})
    assert done.status_code == 302
    version = PackageVersion.objects.get(package__name="proxy", version="1.0.0")
    assert version.input_schema["properties"] == {}
