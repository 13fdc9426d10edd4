"""Label and field selectors as the API server reads them from `?labelSelector=`.

Label selectors: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` (exists) and `!a`
(does not exist), comma separated. Field selectors: `metadata.name` and `metadata.namespace`
with `=`, `==` or `!=`, the two a watch on one object uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Requirement = Callable[[dict], bool]

_SET = re.compile(r"^\s*([A-Za-z0-9_./-]+)\s+(in|notin)\s+\(([^)]*)\)\s*$")
_EQ = re.compile(r"^\s*([A-Za-z0-9_./-]+)\s*(==|=|!=)\s*([A-Za-z0-9_.-]*)\s*$")
_EXISTS = re.compile(r"^\s*(!?)\s*([A-Za-z0-9_./-]+)\s*$")


class SelectorError(ValueError):
    pass


def _split(selector: str) -> list[str]:
    """Split on commas outside parentheses."""
    parts, depth, current = [], 0, ""
    for ch in selector:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p for p in parts if p.strip()]


def _requirement(term: str) -> Requirement:
    if m := _SET.match(term):
        key, op, raw = m.groups()
        values = {v.strip() for v in raw.split(",") if v.strip()}
        if op == "in":
            return lambda labels: key in labels and labels[key] in values
        return lambda labels: key not in labels or labels[key] not in values
    if m := _EQ.match(term):
        key, op, value = m.groups()
        if op == "!=":
            return lambda labels: labels.get(key) != value
        return lambda labels: key in labels and labels[key] == value
    if m := _EXISTS.match(term):
        negate, key = m.groups()
        if negate:
            return lambda labels: key not in labels
        return lambda labels: key in labels
    raise SelectorError(f"unable to parse requirement: {term.strip()!r}")


def label_matcher(selector: str | None) -> Callable[[dict], bool]:
    """A predicate over an object; raises SelectorError for a selector the API server refuses."""
    if not selector:
        return lambda obj: True
    requirements = [_requirement(term) for term in _split(selector)]

    def matches(obj: dict) -> bool:
        labels = (obj.get("metadata") or {}).get("labels") or {}
        return all(req(labels) for req in requirements)

    return matches


def field_matcher(selector: str | None) -> Callable[[dict], bool]:
    if not selector:
        return lambda obj: True
    requirements = []
    for term in _split(selector):
        m = _EQ.match(term)
        if not m or m.group(1) not in ("metadata.name", "metadata.namespace"):
            raise SelectorError(f'field label not supported: "{term.strip()}"')
        path, op, value = m.groups()
        field = path.split(".", 1)[1]
        if op == "!=":
            requirements.append(lambda obj, f=field, v=value: obj["metadata"].get(f, "") != v)
        else:
            requirements.append(lambda obj, f=field, v=value: obj["metadata"].get(f, "") == v)
    return lambda obj: all(req(obj) for req in requirements)


def selector_string(selector: dict | None) -> str:
    """A LabelSelector (`matchLabels`, `matchExpressions`) as the `?labelSelector=` text;
    how a Scale's `status.selector` shows a workload's selector."""
    selector = selector or {}
    terms = [f"{k}={v}" for k, v in (selector.get("matchLabels") or {}).items()]
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key", ""), expr.get("operator", ""), expr.get("values") or []
        if op == "In":
            terms.append(f"{key} in ({','.join(values)})")
        elif op == "NotIn":
            terms.append(f"{key} notin ({','.join(values)})")
        elif op == "Exists":
            terms.append(key)
        elif op == "DoesNotExist":
            terms.append(f"!{key}")
    return ",".join(terms)
