"""The description of a values.yaml key: the comment block directly above it, read as helm-docs does.

A description is the run of `#` lines directly above the key (a blank line ends it),
whatever words it holds: `NOTE:`, `TODO:`, URLs and markdown stay. Taken out:

- with a helm-docs marker (`# -- text`), everything above the last marker (helm-docs
  starts the description there), its `(type)` prefix, and `# @default -- …` style
  annotation lines;
- bitnami's `## @param path` / `## @section` / `## @skip` prefixes and lines;
- commented-out values, under a marker too: a run of lines that, uncommented, parses as
  YAML into a mapping (or a list of mappings or single words) whose keys look like values
  keys (`limits:`, `cpu: 100m`, `- name: FOO`). A prose label (`NOTE:`, `Example:`,
  `ref: https://…`) is not a key, nor is a one-line `key: several words`, nor a
  `- bullet with words`, nor a line inside a `code span` the text above left open;
- the prose written for a commented-out value of another key: charts document options
  they leave unset right above the next real key (`# Log level …` / `# logLevel: INFO` /
  `reloadURL: …`). When the caller names the key and its value, the prose directly above a
  commented-out value goes with it unless that value can be an example of this key (it
  sets this key, or this key is empty: `# limits: …` above `resources: {}`).

Lines keep their breaks and a `#` line with nothing on it starts a new paragraph, so the
text reads as markdown.
"""

from __future__ import annotations

import re

import yaml

# A line that could start a commented-out value: `key:`, `key: value`, `- item`.
_YAMLISH = re.compile(r"""^(\s*)(-(\s|$)|["']?[^\s"':#][^:#]*?["']?:(\s|$))""")
_VALUE_KEY = re.compile(r"^[a-z_$][\w.\-/$]*$|^[\w.\-]+/[\w.\-/]+$")
_PROSE_LABELS = {
    "note", "notes", "nb", "todo", "fixme", "warning", "warn", "important", "info", "tip",
    "hint", "example", "examples", "e.g.", "eg", "i.e.", "ref", "refs", "reference", "see",
    "docs", "default", "defaults", "deprecated", "caution", "danger", "xxx", "hack", "bug",
    "optional", "required", "usage", "format", "options", "description", "details", "more",
    "source", "link", "links", "url", "also", "why", "beware", "attention", "remember",
}  # fmt: skip
_HELM_DOCS = re.compile(r"^--(\s|$)")
_HELM_DOCS_TYPE = re.compile(r"^\((?:[\w/\[\]{}.*]+)\)\s*")
_ANNOTATION = re.compile(r"^@(default|section|raw|notationType|ignore|skip|extra)\b")
_BITNAMI_PARAM = re.compile(r"^@(param|section)\s+\S+\s*")
_RULE = re.compile(r"^[-=*#~_\s]{3,}$")


_UNKNOWN = object()


def comment_above(lines: list[str], line: int, key=None, value=_UNKNOWN) -> str:
    """The description of the key on `lines[line]` (0-based), from the `#` lines above it;
    `key` and its `value`, when given, tell an example of it from another key's option."""
    block: list[str] = []
    i = line - 1
    while i >= 0 and lines[i].lstrip().startswith("#"):
        block.append(lines[i])
        i -= 1
    block.reverse()
    return describe(block, key, value)


def describe(block: list[str], key=None, value=_UNKNOWN) -> str:
    """The description a block of `#` lines gives, as markdown text."""
    bodies = [_uncomment(line) for line in block]
    marker = max((i for i, b in enumerate(bodies) if _HELM_DOCS.match(b.lstrip())), default=None)
    if marker is not None:
        first = _HELM_DOCS_TYPE.sub("", _HELM_DOCS.sub("", bodies[marker].lstrip(), count=1))
        return _join(_prose([first, *bodies[marker + 1 :]], key, value))
    return _join(_prose(bodies, key, value))


def _prose(bodies: list[str], key=None, value=_UNKNOWN) -> list[str]:
    """The lines of `bodies` that are text: annotations and commented-out values left out."""
    kept: list[str] = []
    since_value = 0  # where in `kept` the prose after the last commented-out value starts
    i = 0
    while i < len(bodies):
        body = bodies[i]
        stripped = body.strip()
        if _BITNAMI_PARAM.match(stripped):
            if stripped.startswith("@section"):
                i += 1
                continue
            body = stripped = _BITNAMI_PARAM.sub("", stripped)
        elif _ANNOTATION.match(stripped) or _RULE.match(body) and stripped:
            i += 1
            continue
        # inside a `code span` left open by the text above, a line is text
        end = i if "".join(kept).count("`") % 2 else _yaml_run(bodies, i)
        if end > i:
            if kept and _introduces(kept[-1]):
                kept.pop()
            if not _may_be_example(bodies[i:end], key, value):
                del kept[since_value:]
            since_value = len(kept)
            i = end
            continue
        kept.append(body)
        i += 1
    return kept


def _uncomment(line: str) -> str:
    """`  ## text` -> `text`; `#   cpu: 1` -> `  cpu: 1` (indentation after `# ` kept)."""
    text = line.lstrip()
    text = text.lstrip("#")
    return text[1:] if text.startswith(" ") else text


def _yaml_run(bodies: list[str], start: int) -> int:
    """The end (exclusive) of the commented-out value starting at `start`, or `start` if none."""
    first = _YAMLISH.match(bodies[start])
    if not first:
        return start
    base = len(first.group(1))
    end = start + 1
    while end < len(bodies):
        body = bodies[end]
        if not body.strip():
            break
        indent = len(body) - len(body.lstrip())
        if indent > base or (indent == base and _YAMLISH.match(body)):
            end += 1
            continue
        break
    # The longest prefix of the run that reads as a commented-out value.
    while end > start:
        if _is_value(bodies[start:end]):
            return end
        end -= 1
    return start


def _is_value(run: list[str]) -> bool:
    text = "\n".join(run)
    try:
        data = yaml.safe_load(_dedent(text))
    except yaml.YAMLError:
        return False
    if isinstance(data, dict):
        if not data or not all(_is_value_key(k) for k in data):
            return False
        if len(run) == 1:
            (value,) = data.values()
            if isinstance(value, str) and (len(value.split()) > 1 or "://" in value):
                return False
        return True
    if isinstance(data, list) and data:
        return all(
            isinstance(item, dict | list)
            or (item is None or isinstance(item, bool | int | float))
            or (isinstance(item, str) and len(item.split()) == 1)
            for item in data
        )
    return False


def _may_be_example(run: list[str], key, value) -> bool:
    """Whether a commented-out value can show what `key` (holding `value`) takes."""
    if key is None or value is _UNKNOWN or value is None:
        return True
    if isinstance(value, dict | list) and not value:
        return True
    try:
        data = yaml.safe_load(_dedent("\n".join(run)))
    except yaml.YAMLError:
        return True
    if isinstance(data, dict):
        keys = {str(k) for k in data}
        return str(key) in keys or (isinstance(value, dict) and bool(keys & set(map(str, value))))
    return isinstance(data, list) and isinstance(value, list)


def _is_value_key(key) -> bool:
    if isinstance(key, bool) or key is None:
        return False
    if isinstance(key, int | float):
        return True
    key = str(key)
    return bool(_VALUE_KEY.match(key)) and key.lower().rstrip(".") not in _PROSE_LABELS


def _dedent(text: str) -> str:
    lines = text.split("\n")
    pad = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return "\n".join(x[pad:] for x in lines)


def _introduces(line: str) -> bool:
    """A short prose line that only announces the commented-out value below it ("Example:")."""
    text = line.strip()
    return text.endswith(":") and len(text.split()) <= 3


def _join(bodies: list[str]) -> str:
    paragraphs: list[list[str]] = [[]]
    for body in bodies:
        text = body.strip()
        if not text:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(text)
    return "\n\n".join("\n".join(p) for p in paragraphs if p).strip()
