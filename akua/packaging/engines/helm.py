"""Helm engine: render a chart in-process with helm-python-sdk, in the order Akua's own tool uses.

Order (as Akua's open-source render: its Helm engine returns the rendered templates as a map
sorted by template path, and each file's documents are taken in order): CRDs from `crds/`
first (by file name), then every object by template path (`<chart>/charts/<sub>/templates/…`
sorts before `<chart>/templates/…`), then document order within a file (split as Helm
splits it: at every `---` starting a line, `---# comment` too). Hooks stay where
their template puts them; test hooks (`helm.sh/hook: test…`) and NOTES.txt are left out.

`lookup` returns an empty map, as in `helm template`: a render never reads a cluster.
Generation reports where a chart calls it (akua.packaging.generate.report).

CRDs from `crds/` carry the annotation `akua.dev/helm-crd: <chart>/crds/<file>`: Helm
creates those when absent and never upgrades or deletes them, and the apply
(clusters.apply) does the same for objects so marked.
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

HELM_CRD_ANNOTATION = "akua.dev/helm-crd"
_TEMPLATE_AT = re.compile(r"(?P<path>[\w.\-]+(?:/[\w.\-]+)*/templates/[^\s:()\"]+):(?P<line>\d+)")
# Helm's releaseutil.SplitManifests: a template's output is cut at every `---` that starts a
# line, whatever follows it (`---# comment`, glued by `{{- if … -}}` trims, still separates)
_HELM_SEPARATOR = re.compile(r"(?:^|\s*\n)---\s*")


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
        try:
            rendered = chart.render(values, name=release, namespace=namespace)
        except helm_python.HelmError as exc:
            raise _template_error(exc, chart_dir, chart.name) from None
        crds = chart.crds
    return _ordered(rendered, crds, chart_dir)


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
    objects: list[dict] = []
    for path in sorted(rendered):
        if path.endswith("NOTES.txt"):
            continue
        for doc in _template_docs(rendered[path], path, chart_dir):
            hook = ((doc.get("metadata") or {}).get("annotations") or {}).get("helm.sh/hook")
            if hook is not None and "test" in str(hook):
                continue
            objects.append(doc)
    crd_docs = []
    for crd in sorted(crds, key=lambda c: c.get("filename") or c.get("name") or ""):
        filename = crd.get("filename") or crd.get("name") or "crds"
        for doc in _docs(crd.get("data") or "", filename, chart_dir):
            meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
            doc["metadata"] = meta
            annotations = (
                meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
            )
            meta["annotations"] = {**annotations, HELM_CRD_ANNOTATION: filename}
            crd_docs.append(doc)
    return crd_docs + objects


def _template_docs(text: str, path: str, chart_dir: Path) -> list[dict]:
    """A rendered template's objects, its text split as Helm splits it (CRDs from `crds/`
    are read as a YAML stream, as Helm's kube client reads them)."""
    docs: list[dict] = []
    for part in _HELM_SEPARATOR.split(text.strip()):
        if part.strip():  # trimmed, then written out with a newline, as Helm does
            docs.extend(_docs(part.strip() + "\n", path, chart_dir))
    return docs


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
