"""A chart's values as a tree of typed, documented nodes: from values.schema.json and values.yaml.

`chart_values(chart_dir)` reads `values.yaml` (the defaults, in the chart's key order, and
the comment above each key as its description; see `comments`) and, when the chart has
one, `values.schema.json` (types, enums, `required`, descriptions). Helm ignores schema
defaults, so a node's default is what values.yaml holds; a schema default is only kept
(`schema_default`) to be reported when it disagrees.

Node kinds:

- `object`: named children (any key: `redis-ha`, `grafana.ini`, `0day`), maybe `extra` (the
  type of other keys: `additionalProperties`/`patternProperties` next to `properties`) or
  `open` (other keys of any type: a values.yaml mapping without a schema, since Helm takes
  any key);
- `map`: `{str: extra}` (a schema with only `additionalProperties`/`patternProperties`, or
  an empty mapping);
- `array`: `[extra]` (`items`, or inferred from the default's items);
- `union`: `members` (a `oneOf`/`anyOf` with object, map or array members);
- `scalar`: a KCL type (`str`, `int | str`, `"a" | "b"`, `any`).

Every key of values.yaml is in the tree: keys the schema does not describe are inferred
from their values, and a type is widened where values.yaml holds something its schema
does not allow (so the generated Input accepts the chart's own defaults). Nodes under a
map value or an array item (`ports.*.port`) are not addressable by a path: exposing the
map exposes them. The node is `node.ValueNode`; `shapes` infers and widens, `from_schema`
reads values.schema.json, `comments` the descriptions.
"""

from __future__ import annotations

import json
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from akua.packaging import paths
from akua.packaging.errors import PackagingError
from akua.packaging.generate.comments import comment_above
from akua.packaging.generate.from_schema import SchemaBuilder
from akua.packaging.generate.node import MISSING, ValueNode
from akua.packaging.generate.shapes import infer
from akua.packaging.yamlio import YAMLBoundsError, check_bounds

__all__ = ["MISSING", "ValueNode", "chart_values", "read_values_yaml"]

_MAX_VALUES_DEPTH = 64


def chart_values(chart_dir: Path) -> ValueNode:
    """The values tree of the chart in `chart_dir` (the root node has path "")."""
    chart_dir = Path(chart_dir)
    values, comments = read_values_yaml(chart_dir / "values.yaml")
    schema_path = chart_dir / "values.schema.json"
    if schema_path.is_file():
        try:
            schema = json.loads(schema_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise PackagingError(f"values.schema.json is not valid JSON: {exc}") from None
        except RecursionError:
            raise PackagingError("values.schema.json is nested too deeply") from None
        if not isinstance(schema, dict):
            raise PackagingError("values.schema.json is not a JSON Schema object")
        root = SchemaBuilder(schema, comments).node((), (), schema, values, addressable=True)
        if root.kind != "object":
            root = infer((), values, comments)
    else:
        root = infer((), values, comments)
    root.open = False  # the Input takes the chosen values only
    root.extra = None
    return root


# -- values.yaml ----------------------------------------------------------------------------


def read_values_yaml(path: Path) -> tuple[dict, dict[str, str]]:
    """values.yaml as plain data, and the description above each key by canonical path."""
    if not path.is_file():
        return {}, {}
    text = path.read_text(encoding="utf-8", errors="replace")
    yaml = YAML(typ="rt")
    yaml.version = (1, 1)  # as Helm reads it (go-yaml): `yes`, `on`, `y` are booleans
    try:
        doc = yaml.load(text)
    except YAMLError as exc:
        raise PackagingError(f"values.yaml is not valid YAML: {exc}") from None
    except RecursionError:
        raise PackagingError("values.yaml is nested too deeply") from None
    try:
        check_bounds(doc)
    except YAMLBoundsError as exc:
        raise PackagingError(f"values.yaml: {exc}") from None
    if _depth(doc) > _MAX_VALUES_DEPTH:
        raise PackagingError(f"values.yaml is nested more than {_MAX_VALUES_DEPTH} levels deep")
    if not isinstance(doc, dict):
        return {}, {}
    lines = text.splitlines()
    comments: dict[str, str] = {}
    _collect_comments(doc, "", lines, comments)
    return _plain(doc), comments


def _depth(value, level: int = 0) -> int:
    """How deep `value` nests (stops counting past the limit)."""
    if level > _MAX_VALUES_DEPTH or not isinstance(value, dict | list):
        return level
    items = value.values() if isinstance(value, dict) else value
    return max((_depth(v, level + 1) for v in items), default=level + 1)


def _collect_comments(mapping, prefix: str, lines: list[str], out: dict[str, str]) -> None:
    if not isinstance(mapping, CommentedMap):
        return
    for key, value in mapping.items():
        path = paths.join(prefix, str(key))
        try:
            line, _col = mapping.lc.key(key)
        except (KeyError, TypeError):
            line = None
        if line is not None:
            text = comment_above(lines, line, key, value)
            if text:
                out[path] = text
        if isinstance(value, CommentedMap):
            _collect_comments(value, path, lines, out)


def _plain(value):
    if isinstance(value, dict):
        return {_key(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        number = int(value)
        # Beyond 64 bits Go (so Helm) and KCL read a number as a float.
        return number if -(2**63) <= number < 2**63 else float(number)
    if isinstance(value, float):
        number = float(value)
        return number if number == number and abs(number) != float("inf") else str(value)
    if value is None or isinstance(value, str):
        return None if value is None else str(value)
    return str(value)  # timestamps and the like: Helm reads them as strings


def _key(key) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)
