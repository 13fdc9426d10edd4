"""A GET never changes state: every page and htmx partial of every app, opened by each
person of the shared cast, runs no INSERT, UPDATE or DELETE.

One table of URLs, walked once with an installation on the emulator (rendered, applied,
with a change request and a draft of each wizard), so the pages show everything they can.
Health read on a page is shown, the monitor records it; wizard drafts are written by POSTs.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from installations.actions import repository
from installations.diffs import manifests_at
from installations.models import ChangeRequest
from wizard.forms import form_of_version

PEOPLE = ("owner", "member", "vendor", "vendor_member", "outsider", "stranger", "rival_owner")
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _urls(inst, version, cluster, cr) -> list[tuple[str, dict, bool]]:
    """(url, query, htmx) for every GET page and partial."""
    renders = list(inst.renders.order_by("generation").values_list("pk", flat=True))
    slugs = [s.slug for s in form_of_version(version).steps] + ["review"]
    i, v = inst.pk, version.pk
    rows = [
        (reverse("dashboard"), {}, False),
        (reverse("installation_new"), {}, False),
        (reverse("installation_new"), {"form": "single"}, False),
        (reverse("installation_new"), {"form": "single", "package_version": v}, True),
        (reverse("installation", args=[i]), {}, False),
        (reverse("installation", args=[i]), {}, True),
        (reverse("installation_history", args=[i]), {}, False),
        (reverse("installation_history", args=[i]), {"a": renders[0], "b": renders[-1]}, True),
        (reverse("installation_cluster", args=[i]), {}, False),
        (reverse("installation_cluster", args=[i]), {}, True),
        (reverse("installation_logs", args=[i]), {"pod": "p", "container": "c"}, True),
        (reverse("installation_source", args=[i]), {}, False),
        (reverse("change_request", args=[i, cr.pk]), {}, False),
        (reverse("installation_delete", args=[i]), {}, False),
        (reverse("installation_inputs", args=[i]), {}, False),
        (reverse("tokens"), {}, False),
        (reverse("clusters"), {}, False),
        (reverse("cluster", args=[cluster.pk]), {}, False),
        (reverse("cluster_import"), {}, False),
        (reverse("workspaces"), {}, False),
        (reverse("workspace_customers", args=[inst.workspace.slug]), {}, False),
        (reverse("workspace_vendors", args=[inst.customer_workspace.slug]), {}, False),
    ]
    manifest = sorted(manifests_at(repository(inst), repository(inst).head()))[0]
    for scope, arg in (("new", v), ("edit", i)):
        rows += [
            (reverse(f"wizard_{scope}_start", args=[arg]), {}, False),
            (reverse(f"wizard_{scope}_page", args=[arg]), {}, False),
            (reverse(f"wizard_{scope}_yaml", args=[arg]), {}, False),
            (reverse(f"wizard_{scope}_search", args=[arg]), {"q": "replicas"}, False),
            (reverse(f"wizard_{scope}_search", args=[arg]), {"q": "tag", "from": "general"}, True),
            (reverse(f"wizard_{scope}_diff", args=[arg]), {"file": manifest}, False),
            (reverse(f"wizard_{scope}_diff", args=[arg]), {"file": manifest}, True),
        ]
        rows += [(reverse(f"wizard_{scope}_step", args=[arg, s]), {}, False) for s in slugs]
    return rows


def test_no_get_writes(client, base, installed, cluster):
    inst = installed()
    version = inst.package_version
    cr = ChangeRequest.objects.create(  # a request on main's head: a page with no changes
        installation=inst,
        branch="review/same",
        head_sha=inst.renders.last().commit_sha,
        title="Same",
        pushed_by=base.owner,
    )
    urls = _urls(inst, version, cluster, cr)
    writes: dict[str, list[str]] = {}
    statuses: dict[str, int] = {}
    for with_drafts in (False, True):
        for person in PEOPLE:
            user = getattr(base, person)
            client.force_login(user)
            if with_drafts:  # a draft of each wizard, made the way people make them: a POST
                client.post(reverse("wizard_new_step", args=[version.pk, "general"]), {})
                client.post(reverse("wizard_edit_step", args=[inst.pk, "general"]), {})
            for url, query, htmx in urls:
                headers = {"HX-Request": "true"} if htmx else {}
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url, query, headers=headers)
                label = f"{person} GET {url}{'?' if query else ''}{'&'.join(query)}"
                label += " (htmx)" if htmx else ""
                statuses[label] = response.status_code
                found = [
                    q["sql"][:120] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)
                ]
                if found:
                    writes[label] = found
    assert writes == {}
    assert 500 not in statuses.values()
    # the table reached the pages, not only refusals
    assert statuses[f"owner GET {reverse('installation_cluster', args=[inst.pk])} (htmx)"] == 200
    assert statuses[f"owner GET {reverse('wizard_edit_step', args=[inst.pk, 'review'])}"] == 200
    diff = reverse("wizard_edit_diff", args=[inst.pk])
    assert statuses[f"owner GET {diff}?file (htmx)"] == 200
