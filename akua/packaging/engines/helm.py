"""Helm engine: render a chart in-process with helm-python-sdk, ordered the way `helm template` prints it.

Order: CRDs from `crds/` first (by file name), then the chart's objects sorted
by Helm's install order of kinds (unknown kinds after, by kind name), keeping
file-name order within a kind, then hooks ordered the same way. Test hooks
(`helm.sh/hook: test...`) and NOTES.txt are left out. Charts whose templates
call `lookup` are refused: a render must not depend on a cluster.
"""

from __future__ import annotations

import re
from pathlib import Path

import helm_python
import yaml

from akua.packaging import context
from akua.packaging.engines import options
from akua.packaging.errors import PackagingError
from akua.packaging.yamlio import load_all

# helm.sh/helm/v3/pkg/releaseutil InstallOrder
INSTALL_ORDER = [
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
]
_RANK = {kind: i for i, kind in enumerate(INSTALL_ORDER)}
_LOOKUP = re.compile(r"\{\{(?:(?!\}\}).)*?\blookup\b", re.DOTALL)
_TEMPLATE_AT = re.compile(r"(?P<path>[\w.\-]+(?:/[\w.\-]+)*/templates/[^\s:()\"]+):(?P<line>\d+)")


def template(*args, **kwargs) -> list[dict]:
    """The `kcl_plugin.helm.template` plugin: options {chart, values, release, namespace}."""
    opts = options(args, kwargs)
    frame = context.current()
    chart_ref = opts.get("chart")
    if not chart_ref:
        raise PackagingError("helm.template needs chart (a chart directory or .tgz)")
    chart_dir = (frame.package_dir / chart_ref).resolve()
    values = opts.get("values") or {}
    if not isinstance(values, dict):
        raise PackagingError("helm.template: values must be a mapping")
    return render_chart(
        chart_dir,
        values,
        release=opts.get("release") or "release",
        namespace=opts.get("namespace") or "default",
    )


def render_chart(chart_dir: Path, values: dict, *, release: str, namespace: str) -> list[dict]:
    if not chart_dir.exists():
        raise PackagingError(f"chart not found: {chart_dir}", file=str(chart_dir))
    if chart_dir.is_dir() and not (chart_dir / "Chart.yaml").is_file():
        raise PackagingError("not a Helm chart (no Chart.yaml)", file=str(chart_dir))
    try:
        chart = helm_python.Chart.load(str(chart_dir))
    except helm_python.HelmError as exc:
        raise PackagingError(f"cannot load chart: {exc}", file=str(chart_dir)) from None
    with chart:
        _refuse_lookup(chart, chart_dir)
        try:
            rendered = chart.render(values, name=release, namespace=namespace)
        except helm_python.HelmError as exc:
            raise _template_error(exc, chart_dir, chart.name) from None
        crds = chart.crds
    return _ordered(rendered, crds, chart_dir)


def _refuse_lookup(chart, chart_dir: Path) -> None:
    if chart_dir.is_dir():
        sources = [
            (str(p.relative_to(chart_dir)), p.read_text(encoding="utf-8", errors="replace"))
            for p in sorted(chart_dir.rglob("*"))
            if p.is_file() and "templates" in p.relative_to(chart_dir).parts
        ]
    else:
        sources = [(t["name"], t["data"]) for t in chart.templates]
    for name, text in sources:
        if match := _LOOKUP.search(text):
            line = text.count("\n", 0, match.start()) + 1
            raise PackagingError(
                "the chart calls Helm's `lookup`, which reads the live cluster; "
                "Akua renders without a cluster, so this chart cannot be used",
                file=str(chart_dir / name),
                line=line,
            )


def _template_error(exc: Exception, chart_dir: Path, chart_name: str) -> PackagingError:
    message = str(exc)
    match = _TEMPLATE_AT.search(message)
    if not match:
        return PackagingError(
            f"helm template of chart {chart_name} failed: {message}", file=str(chart_dir)
        )
    # "<chart>/templates/x.yaml" or "<chart>/charts/<sub>/templates/x.yaml", relative to the chart
    inner = match.group("path").split("/", 1)[1]
    detail = message.split("): ", 1)[1] if "): " in message else message
    detail = detail.replace(match.group(0), "").strip(" :\n")
    return PackagingError(
        f"helm template failed: {' '.join(detail.split())}",
        file=str(chart_dir / inner),
        line=int(match.group("line")),
    )


def _ordered(rendered: dict[str, str], crds: list[dict], chart_dir: Path) -> list[dict]:
    objects: list[tuple[tuple, dict]] = []
    hooks: list[tuple[tuple, dict]] = []
    for path in sorted(rendered):
        if path.endswith("NOTES.txt"):
            continue
        for index, doc in enumerate(_docs(rendered[path], path, chart_dir)):
            kind = doc.get("kind") or ""
            key = (
                _RANK.get(kind, len(INSTALL_ORDER)),
                kind if kind not in _RANK else "",
                path,
                index,
            )
            hook = ((doc.get("metadata") or {}).get("annotations") or {}).get("helm.sh/hook")
            if hook is None:
                objects.append((key, doc))
            elif "test" not in str(hook):
                hooks.append((key, doc))
    objects.sort(key=lambda item: item[0])
    hooks.sort(key=lambda item: item[0])
    crd_docs = []
    for crd in sorted(crds, key=lambda c: c.get("filename") or c.get("name") or ""):
        crd_docs.extend(_docs(crd.get("data") or "", crd.get("filename") or "crds", chart_dir))
    return crd_docs + [doc for _, doc in objects] + [doc for _, doc in hooks]


def _docs(text: str, path: str, chart_dir: Path) -> list[dict]:
    try:
        docs = [doc for doc in load_all(text) if doc is not None]
    except yaml.YAMLError as exc:
        inner = path.split("/", 1)[1] if "/" in path else path
        raise PackagingError(
            f"the chart produced invalid YAML: {' '.join(str(exc).split())}",
            file=str(chart_dir / inner),
        ) from None
    for doc in docs:
        if not isinstance(doc, dict):
            inner = path.split("/", 1)[1] if "/" in path else path
            raise PackagingError(
                "the chart produced a document that is not a mapping", file=str(chart_dir / inner)
            )
    return docs
