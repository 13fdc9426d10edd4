"""clusters.diff: only applied fields count; lists of named maps match by name; owners named."""

from __future__ import annotations

from clusters.diff import differences, drift, matches

APPLIED = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"a": "1"}},
    "spec": {
        "replicas": 2,
        "template": {"spec": {"containers": [{"name": "web", "image": "web:1"}]}},
    },
}


def _live(**spec_changes):
    live = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "web",
            "labels": {"a": "1", "extra": "x"},
            "resourceVersion": "7",
            "managedFields": [
                {"manager": "akua", "fieldsV1": {"f:spec": {"f:template": {}}}},
                {"manager": "kubectl", "fieldsV1": {"f:spec": {"f:replicas": {}}}},
            ],
        },
        "spec": {
            "replicas": 2,
            "strategy": {"type": "RollingUpdate"},
            "template": {
                "spec": {
                    "containers": [
                        {"name": "sidecar", "image": "s:1"},
                        {"name": "web", "image": "web:1", "imagePullPolicy": "IfNotPresent"},
                    ]
                }
            },
        },
        "status": {"replicas": 2},
    }
    live["spec"].update(spec_changes)
    return live


def test_defaults_and_other_fields_are_not_differences():
    assert matches(APPLIED, _live())


def test_a_changed_field_is_a_difference_naming_its_owner():
    assert drift(APPLIED, _live(replicas=5)) == [
        {"path": "spec.replicas", "applied": 2, "live": 5, "manager": "kubectl"}
    ]


def test_containers_are_matched_by_name():
    live = _live()
    live["spec"]["template"]["spec"]["containers"][1]["image"] = "web:2"
    [(path, applied, now)] = differences(APPLIED, live)
    assert path == ("spec", "template", "spec", "containers", "[name=web]", "image")
    assert (applied, now) == ("web:1", "web:2")


def test_a_missing_map_is_a_difference():
    assert differences({"data": {"k": "v"}}, {}) == [(("data",), {"k": "v"}, None)]
