"""A chart's crds/ come first, marked for the apply (created when absent, never changed or
deleted); hooks stay in the render (the apply runs them in Helm's order); test hooks are
left out."""

from __future__ import annotations

from akua.packaging.engines.helm import HELM_CRD_ANNOTATION, render_chart
from tests.packaging.fixture_packages import CHARTS


def test_crds_are_marked_and_test_hooks_left_out():
    docs = render_chart(CHARTS / "hooks", {}, release="r", namespace="n")
    names = [(d["kind"], d["metadata"]["name"]) for d in docs]
    assert names[0] == ("CustomResourceDefinition", "widgets.hooks.example.com")
    assert docs[0]["metadata"]["annotations"] == {HELM_CRD_ANNOTATION: "hooks/crds/widgets.yaml"}
    assert ("Pod", "r-test") not in names  # helm.sh/hook: test
    hooks = {n for d, n in zip(docs, names, strict=True) if "helm.sh/hook" in str(d["metadata"])}
    assert hooks == {
        ("ConfigMap", "r-pre-config"),
        ("Job", "r-migrate"),
        ("Job", "r-welcome"),
        ("ConfigMap", "r-upgraded"),
    }
    # only crds/ are marked
    assert all(HELM_CRD_ANNOTATION not in str(d["metadata"]) for d in docs[1:])
