"""The wizard on a big chart (tests/fixtures/charts/proxy, generated into a package): steps
in values.yaml's order, Next through every step leaves nothing written, maps of objects
as sub-forms, search across steps, safe markdown help, a short review.

Walked through Django's test client the way a browser posts (`page_post.form_post`), so
these run on PostgreSQL too (CI's second pass), where the stored schema has lost its key
order and only `x-ui.order` orders the steps and fields.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from catalog.actions import publish_package_version
from catalog.models import PackageVersion
from installations.actions import current_inputs, run_render
from installations.models import Installation, Render
from tests.wizard.big_chart import CHARTS, publish_proxy
from tests.wizard.page_post import form_post
from tests.wizard.review import manifest_diff
from wizard.forms import build_form, finalize
from wizard.models import Draft


@pytest.fixture
def proxy(base, tmp_path):
    return publish_proxy(base.acme, base.vendor, tmp_path)


def step_url(version, slug):
    return reverse("wizard_new_step", args=[version.pk, slug])


def _values_order() -> dict:
    return yaml.safe_load((CHARTS / "proxy" / "values.yaml").read_text())


def test_steps_and_fields_follow_values_yaml_order_after_a_database_round_trip(proxy):
    stored = PackageVersion.objects.get(pk=proxy.pk).input_schema  # as the database keeps it
    form = build_form(stored)
    values = _values_order()
    # The vendor's essentials first (in values.yaml's order), then one Advanced step.
    assert [s.title for s in form.steps] == ["Image", "Ports", "Service", "Advanced"]
    advanced = form.step("advanced")
    expected = [k for k in values if k not in ("image", "ports", "service")]
    assert [d.name for d in advanced.fields] == expected
    assert all(d.advanced for d in advanced.fields)  # collapsed sections
    # Nested fields too, at every depth: a map's named entries and their fields.
    image = form.definition("image")
    assert [c.name for c in image.children] == list(values["image"])
    ports = form.definition("ports")
    assert [c.name for c in ports.children] == list(values["ports"])
    assert [c.name for c in ports.child("web").children] == list(values["ports"]["web"])
    deployment = form.definition("deployment")
    assert [c.name for c in deployment.children] == list(values["deployment"])


def test_pressing_next_through_every_step_writes_nothing_and_confirm_installs(
    client, base, proxy, queued_renders, django_capture_on_commit_callbacks
):
    client.force_login(base.owner)
    form = build_form(proxy.input_schema)
    for step in form.steps:
        page = client.get(step_url(proxy, step.slug)).content.decode()
        assert 'class="req"' not in page  # every field here has a default
        response = client.post(step_url(proxy, step.slug), form_post(page, _action="next"))
        assert response.status_code == 302, response.content.decode()[:3000]
    assert finalize(form, Draft.objects.get().data) == {}  # defaults are not written back
    review = client.get(step_url(proxy, "review"))
    page = review.content.decode()
    assert review.status_code == 200
    assert "Nothing set: the package's defaults apply." in page
    assert re.search(r'<button type="submit" name="_action" value="confirm" class="button">', page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            step_url(proxy, "review"),
            {"name": "edge", "customer_workspace": base.globex.pk, "_action": "confirm"},
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    inst = Installation.objects.get(name="edge")
    assert current_inputs(inst)[0] == {}
    while queued_renders:
        run_render(queued_renders.pop(0))
    assert inst.renders.get().state == Render.State.DEPLOYED


def test_a_map_of_objects_row_is_a_sub_form_and_changes_the_manifest(
    client, base, proxy, queued_renders
):
    client.force_login(base.owner)
    url = step_url(proxy, "ports")
    page = client.get(url).content.decode()
    # Rows with their fields, not JSON text: the web entry's exposed port is a field.
    assert 'name="f.ports.web.exposedPort" value="80"' in page
    assert "{&quot;" not in page and '{"port"' not in page
    post = form_post(page, _action="next")
    post["f.ports.web.exposedPort"] = ["8081"]
    assert client.post(url, post).status_code == 302
    inputs = finalize(build_form(proxy.input_schema), Draft.objects.get().data)
    assert inputs["ports"]["web"]["exposedPort"] == 8081
    assert set(inputs) == {"ports"} and set(inputs["ports"]) == {"web"}  # only what changed
    review = client.get(step_url(proxy, "review")).content.decode()
    service = re.search(r"\d{3}-service-proxy\.yaml", review).group(0)
    diff = manifest_diff(client, "wizard_new_diff", proxy.pk, service)
    assert "port: 8081" in diff


def test_rows_are_added_renamed_and_removed(client, base, proxy):
    client.force_login(base.owner)
    url = step_url(proxy, "ports")
    page = client.get(url).content.decode()
    response = client.post(url, form_post(page, _op="add:ports"), headers={"HX-Request": "true"})
    assert 'name="k.ports.key1" value="key1"' in response.content.decode()
    page = client.get(url).content.decode()
    post = form_post(page, _action="save")
    post["k.ports.key1"] = ["grpc"]
    post["f.ports.key1.port"] = ["9090"]
    client.post(url, post)
    ports = Draft.objects.get().data["ports"]
    assert ports["grpc"]["port"] == 9090
    page = client.get(url).content.decode()
    assert 'name="k.ports.grpc" value="grpc"' in page
    # Named entries (the chart's own) have no Remove button; the row added has one.
    assert page.count('value="remove:ports.') == 1
    client.post(url, form_post(page, _op="remove:ports.4"))
    assert "grpc" not in Draft.objects.get().data["ports"]


def test_the_search_finds_a_field_three_sections_away(client, base, proxy):
    client.force_login(base.owner)
    search = reverse("wizard_new_search", args=[proxy.pk])
    answer = client.get(
        search, {"q": "max unavailable", "from": "image"}, headers={"HX-Request": "true"}
    )
    html = answer.content.decode()
    assert answer.status_code == 200 and "<html" not in html
    # a button of the step form: the jump saves what was typed on the way
    assert 'value="advanced|podDisruptionBudget.maxUnavailable"' in html
    response = client.post(
        step_url(proxy, "image"),
        {"_goto": "advanced|podDisruptionBudget.maxUnavailable"},
    )
    target = response["Location"]
    assert target.startswith(step_url(proxy, "advanced") + "?field=")
    page = client.get(target).content.decode()
    section = re.search(
        r'<details class="wz-section" id="f-podDisruptionBudget-section"[^>]*>', page
    )
    assert section and " open" in section.group(0)  # its section is open
    assert re.search(r'id="f-podDisruptionBudget--maxUnavailable"[^>]*autofocus', page)
    # By path and by help text too; without JavaScript, a page of results.
    assert "ports.web.exposedPort" in client.get(search, {"q": "exposedPort"}).content.decode()
    assert "tracing" in client.get(search, {"q": "OpenTelemetry"}).content.decode().lower()


def test_help_texts_are_safe_markdown(client, base, proxy):
    client.force_login(base.owner)
    page = client.get(step_url(proxy, "image")).content.decode()
    assert (
        '<a href="https://docs.example.com/tags" rel="nofollow noopener noreferrer">'
        "the registry</a>" in page
    )
    assert "[the registry](" not in page
    from wizard.markdown import render_markdown

    html = render_markdown('`x` <script>alert(1)</script> [a](javascript:alert(1)) <b onclick="y">')
    assert "<code>x</code>" in html and "<script" not in html and "<b " not in html
    assert 'href="javascript' not in html


def test_the_side_list_counts_changes_and_errors_per_section(client, base, proxy):
    client.force_login(base.owner)
    url = step_url(proxy, "advanced")
    page = client.get(url).content.decode()
    post = form_post(page, _action="save")
    post["f.deployment.replicas"] = ["two"]
    post["f.autoscaling.maxReplicas"] = ["5"]
    response = client.post(url, post)
    html = response.content.decode()
    assert response.status_code == 422
    nav = html[
        html.index('<nav class="wz-nav"') : html.index("</nav>", html.index('class="wz-nav"'))
    ]
    assert re.search(r">Deployment</a>.*?1<span class=\"visually-hidden\"> error<", nav, re.S)
    assert re.search(r">Autoscaling</a>.*?1<span class=\"visually-hidden\"> set<", nav, re.S)
    assert nav.count("<li") >= 40  # every section of Advanced is listed


CRDS = 25


def _many_crds_package(directory: Path) -> Path:
    """A package rendering 30 manifests, 25 of them CRDs with sizeable schemas."""
    directory.mkdir()
    (directory / "akua.toml").write_text(
        '[package]\nname = "crds"\nversion = "1.0.0"\nedition = "akua.dev/v1alpha1"\n'
    )
    (directory / "package.k").write_text(
        f"""import akua.ctx

schema Input:
    replicas: int = 1

input: Input = ctx.input()

_props = {{"field{{}}".format(i): {{type = "string", description = "Field number {{}} of this resource, documented at length so the schema is as big as real ones are.".format(i)}} for i in range(120)}}

_crds = [{{
    apiVersion = "apiextensions.k8s.io/v1"
    kind = "CustomResourceDefinition"
    metadata.name = "thing{{}}s.example.com".format(n)
    spec = {{
        group = "example.com"
        names = {{kind = "Thing{{}}".format(n), plural = "thing{{}}s".format(n)}}
        scope = "Namespaced"
        versions = [{{name = "v1", served = True, storage = True, schema.openAPIV3Schema = {{type = "object", properties.spec = {{type = "object", properties = _props}}}}}}]
    }}
}} for n in range({CRDS})]

_cms = [{{apiVersion = "v1", kind = "ConfigMap", metadata.name = "cm{{}}".format(n), data.replicas = str(input.replicas)}} for n in range(5)]

resources = _crds + _cms
"""
    )
    return directory


def test_the_review_of_a_chart_with_many_crds_stays_small(client, base, tmp_path):
    version = publish_package_version(
        base.acme, _many_crds_package(tmp_path / "crds"), user=base.vendor
    )
    client.force_login(base.owner)
    response = client.get(step_url(version, "review"))
    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 300 * 1024
    # The summary per kind first; CRDs collapsed in a group; no diff on the page itself.
    assert re.search(r"<th scope=\"row\">CustomResourceDefinition</th><td>25</td>", page)
    assert re.search(r"<th scope=\"row\">ConfigMap</th><td>5</td>", page)
    assert (
        '<details class="wz-group" id="wz-crds"><summary>Custom resource definitions: 25 new'
        in page
    )
    assert "diff-add" not in page and "field119" not in page
    name = re.search(r"\d{3}-customresourcedefinition-thing0s\.example\.com\.yaml", page).group(0)
    diff = manifest_diff(client, "wizard_new_diff", version.pk, name)
    assert "field119" in diff and "diff-add" in diff
    # A name that is not a manifest of this render: nothing to show.
    missing = client.get(
        reverse("wizard_new_diff", args=[version.pk]), {"file": "../../etc/passwd"}
    )
    assert missing.status_code == 404


def test_a_union_of_shapes_is_a_choice_then_its_fields(client, base, proxy):
    client.force_login(base.owner)
    url = step_url(proxy, "advanced")
    page = client.get(url).content.decode()
    client.post(url, form_post(page, _op='add:"proxy.ini"'))
    page = client.get(url).content.decode()
    # a new row of proxy.ini: what kind of value, then the fields of that kind
    assert 'name="c.&quot;proxy.ini&quot;.key1"' in page
    post = form_post(page, _action="save")
    post['c."proxy.ini".key1'] = ["1"]  # "Proxy ini server": root_url and http_port
    client.post(url, post)
    page = client.get(url).content.decode()
    assert 'name="f.&quot;proxy.ini&quot;.key1.http_port" value="3000"' in page
    post = form_post(page, _action="save")
    post['f."proxy.ini".key1.http_port'] = ["3300"]
    post['k."proxy.ini".key1'] = ["admin"]
    client.post(url, post)
    inputs = finalize(build_form(proxy.input_schema), Draft.objects.get().data)
    assert inputs == {"proxy.ini": {"admin": {"root_url": "http://localhost/", "http_port": 3300}}}


def test_a_field_is_marked_required_only_when_it_must_be_typed(client, base, web):
    form = build_form(
        {
            "type": "object",
            "properties": {
                "a": {"type": "string", "default": "x"},
                "b": {"type": "string"},
                "c": {"type": "string"},
                "db": {
                    "type": "object",
                    "properties": {"host": {"type": "string"}, "port": {"type": "integer"}},
                    "required": ["host", "port"],
                    "default": {"host": "db"},
                },
            },
            "required": ["a", "b", "db"],
        }
    )
    assert [(d.name, d.required) for d in form.root.children] == [
        ("a", False),  # has a default
        ("b", True),  # required, nothing to start from
        ("c", False),  # optional
        ("db", False),
    ]
    db = form.definition("db")
    assert [(c.name, c.required) for c in db.children] == [("host", False), ("port", True)]


def test_a_step_of_more_than_a_thousand_fields_is_read(client, base, proxy):
    """Two posted fields per input: a chart step of 700 inputs is over Django's default."""
    client.force_login(base.owner)
    url = step_url(proxy, "advanced")
    post = form_post(client.get(url).content.decode(), _action="save")
    post["_fields"] = post["_fields"] * 4  # 1,500+ fields, as a bigger chart posts
    response = client.post(url, post)
    assert response.status_code == 200, response.status_code
