"""A chart's crds/ come first, marked for the apply (created when absent, never changed or
deleted); hooks come after the rest; test hooks are left out."""

from __future__ import annotations

from akua.packaging.engines.helm import HELM_CRD_ANNOTATION, render_chart
from tests.packaging.fixture_packages import CHARTS


def test_crds_are_marked_and_hooks_follow_the_objects():
    docs = render_chart(CHARTS / "hooks", {}, release="r", namespace="n")
    names = [(d["kind"], d["metadata"]["name"]) for d in docs]
    assert names[0] == ("CustomResourceDefinition", "widgets.hooks.example.com")
    assert docs[0]["metadata"]["annotations"] == {HELM_CRD_ANNOTATION: "hooks/crds/widgets.yaml"}
    assert names[1:3] == [("Deployment", "r-app"), ("Widget", "r-widget")]
    hooks = [d for d in docs if "helm.sh/hook" in (d["metadata"].get("annotations") or {})]
    assert docs[3:] == hooks
    assert ("Pod", "r-test") not in names  # helm.sh/hook: test
    # only crds/ are marked
    assert all(
        HELM_CRD_ANNOTATION not in (d["metadata"].get("annotations") or {}) for d in docs[1:]
    )
