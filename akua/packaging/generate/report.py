"""What a vendor should know about a generated chart package: counts, `lookup` calls, schema defaults.

Akua renders without a cluster, as `helm template` does: Helm's `lookup` returns an empty
map there. A chart that calls it still renders, but what the call was for (keep an
existing Secret's password, find a ConfigMap) does not happen, so the report names every
call, file and line, wherever it is: a library chart's helper, a template behind a flag
that is off, NOTES.txt (never rendered into manifests).

Helm ignores `default` in values.schema.json; values.yaml is what a release gets. Where the
two disagree the report lists the path, so the vendor is not surprised by the wizard.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from akua.packaging.generate.node import MISSING, ValueNode

# `lookup` used inside a template action: {{ lookup ... }}, {{ $x := (lookup ...) }}
_LOOKUP = re.compile(r"\{\{(?:(?!\}\}).)*?\blookup\b", re.DOTALL)
_COMMENT = re.compile(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", re.DOTALL)
_MAX_TEMPLATE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class LookupCall:
    file: str  # relative to the chart: templates/x.yaml, charts/common/templates/_h.tpl
    line: int
    text: str  # the line, trimmed

    @property
    def rendered(self) -> bool:
        """False for NOTES.txt: Akua never renders it into manifests."""
        return PurePosixPath(self.file).name != "NOTES.txt"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class SchemaDefault:
    path: str
    schema_default: object
    values_default: object  # MISSING when values.yaml does not set it

    @property
    def in_values(self) -> bool:
        return self.values_default is not MISSING

    @property
    def schema_text(self) -> str:
        return json.dumps(self.schema_default, ensure_ascii=False)

    @property
    def values_text(self) -> str:
        return json.dumps(self.values_default, ensure_ascii=False) if self.in_values else ""


@dataclass
class GenerationReport:
    values: int = 0  # values of the chart (paths)
    exposed: int = 0  # of them, exposed as inputs
    fields: int = 0  # fields of the Input, those under maps and lists included
    essentials: list[str] = field(default_factory=list)
    lookups: list[LookupCall] = field(default_factory=list)
    schema_defaults: list[SchemaDefault] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)  # keys left out: KCL cannot name them


def build_report(
    chart_dir: Path, root: ValueNode, selected: dict, essentials: list[str]
) -> GenerationReport:
    report = GenerationReport(essentials=list(essentials))
    report.values = sum(1 for _ in root.walk())
    report.exposed, report.fields = _count(root, selected)
    report.lookups = find_lookups(chart_dir)
    for node in root.walk():
        if node.schema_default is MISSING:
            continue
        values_default = node.default if node.has_default else MISSING
        if values_default is MISSING or values_default != node.schema_default:
            report.schema_defaults.append(
                SchemaDefault(node.path, node.schema_default, values_default)
            )
    return report


def _count(node: ValueNode, selected: dict) -> tuple[int, int]:
    """(chosen paths, Input fields): a map's values' and a list's items' fields count as fields."""
    exposed = fields = 0
    for key, child in node.children.items():
        chosen = selected.get(key)
        if not chosen:
            continue
        if chosen is True:
            exposed += 1 + sum(1 for _ in child.walk())
            fields += 1 + _properties(child)
        else:
            e, f = _count(child, chosen)
            exposed, fields = exposed + 1 + e, fields + 1 + f
    return exposed, fields


def _properties(node: ValueNode) -> int:
    count = sum(1 + _properties(c) for c in node.children.values())
    count += _properties(node.extra) if node.extra is not None else 0
    return count + sum(_properties(m) for m in node.members)


def find_lookups(chart_dir: Path) -> list[LookupCall]:
    """Every `lookup` call in the chart's templates and its subcharts' (directories and .tgz)."""
    chart_dir = Path(chart_dir)
    found: list[LookupCall] = []
    for path in sorted(chart_dir.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        rel = path.relative_to(chart_dir)
        if "templates" in rel.parts[:-1]:
            if path.stat().st_size <= _MAX_TEMPLATE_BYTES:
                found += _scan(rel.as_posix(), path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix == ".tgz" and "charts" in rel.parts[:-1]:
            found += _scan_archive(rel.as_posix(), path.read_bytes())
    return found


def _scan(name: str, text: str) -> list[LookupCall]:
    lines = text.splitlines()
    # Template comments say "lookup" without calling it; blank them, keeping line numbers.
    code = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    calls = []
    for match in _LOOKUP.finditer(code):
        at = match.end() - len("lookup")
        line = text.count("\n", 0, at) + 1
        calls.append(LookupCall(name, line, lines[line - 1].strip()[:200]))
    return calls


def _scan_archive(name: str, data: bytes) -> list[LookupCall]:
    """A packaged subchart: `charts/common-2.0.0.tgz!common/templates/_x.tpl`."""
    calls: list[LookupCall] = []
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                parts = PurePosixPath(member.name).parts
                if not member.isfile() or "templates" not in parts[:-1]:
                    continue
                if member.size > _MAX_TEMPLATE_BYTES:
                    continue
                handle = archive.extractfile(member)
                if handle is None:
                    continue
                text = handle.read().decode("utf-8", errors="replace")
                calls += _scan(f"{name}!{member.name}", text)
    except (tarfile.TarError, OSError, EOFError):
        return []
    return calls
