"""inputs.yaml: read and write the file.

Writing keeps what a person wrote: an update changes only the keys whose values changed
and leaves comments and key order alone (ruamel.yaml round-trip), so the wizard and a
`git push` are two views of the same file. What the values mean (validation, paths,
sensitivity) is `installations.input_schema`.
"""

from __future__ import annotations

import copy
import io
import re

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from akua.packaging.yamlio import YAMLBoundsError, check_bounds, nesting_error
from installations.input_schema import MISSING, Segment, join, segments
from installations.layout import INPUTS_FILE  # noqa: F401  (importable from here too)

HEADER = "# Inputs of this installation. Edit here or in Akua; every change is rendered.\n"


class InputsFileError(ValueError):
    """inputs.yaml is not a YAML mapping; the message names the line."""


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps comments and key order
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def parse_inputs(data: bytes | None) -> dict:
    """The inputs in an inputs.yaml; a missing or empty file is `{}`."""
    if not data or not data.strip():
        return {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputsFileError("inputs.yaml: the file is not UTF-8 text") from None
    return parse_inputs_text(text)


def dump_inputs(inputs: dict) -> bytes:
    """A fresh inputs.yaml for `inputs`, with a short header comment."""
    if not inputs:
        return HEADER.encode() + b"{}\n"
    out = io.StringIO()
    _yaml().dump(_plain(inputs), out)
    return (HEADER + out.getvalue()).encode()


def update_inputs_file(original: bytes | None, inputs: dict) -> bytes:
    """inputs.yaml with `inputs` as its values, keeping comments and order of `original`."""
    if not original or not original.strip():
        return dump_inputs(inputs)
    yaml = _yaml()
    try:
        doc = yaml.load(original.decode("utf-8"))
    except (YAMLError, UnicodeDecodeError):
        return dump_inputs(inputs)
    if not isinstance(doc, dict):
        return dump_inputs(inputs)
    _merge(doc, inputs)
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue().encode()


def merge_inputs(inputs: dict, values: dict) -> dict:
    """`inputs` with `values` merged in, mappings key by key (`{"db": {"host": …}}` keeps
    `db.port`); a None in `values` removes that input. Neither argument is changed."""
    out = dict(inputs)
    for key, value in values.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_inputs(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def changed_keys(old: dict, new: dict, prefix: str = "") -> list[str]:
    """The paths of the inputs that differ between `old` and `new`."""
    keys = []
    for key in sorted(set(old) | set(new), key=str):
        name = join(prefix, str(key))
        a, b = old.get(key, MISSING), new.get(key, MISSING)
        if isinstance(a, dict) and isinstance(b, dict):
            keys += changed_keys(a, b, name)
        elif a != b:
            keys.append(name)
    return keys


def _merge(doc: dict, new: dict) -> None:
    for key in [k for k in doc if k not in new]:
        del doc[key]
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(doc.get(key), dict):
            _merge(doc[key], value)
        elif key not in doc or doc[key] != value:
            doc[key] = _plain(value)


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# -- inputs.yaml as a person typed it (the inputs editor's YAML view) ----------------------


def parse_inputs_text(text: str) -> dict:
    """The inputs in inputs.yaml text; a YAML error names its line (`exc.line`, 1-based).

    Like `parse_inputs`, for text a person typed: the message says where, in their words
    ("inputs.yaml, line 4, column 3: …"), so it can be shown next to what they typed.
    """
    try:
        loaded = YAML(typ="safe").load(text)
        check_bounds(loaded)
    except RecursionError:
        raise _file_error(nesting_error()) from None
    except YAMLBoundsError as exc:
        raise _file_error(exc) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        duplicate = re.match(r'found duplicate key "(.+?)"', problem)
        if duplicate and exc.context_mark:
            problem = f"{duplicate.group(1)} is set twice; keep one of the two"
        elif exc.context and exc.problem and exc.context_mark:
            problem += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        error = InputsFileError(f"inputs.yaml{where}: {problem}")
        error.line = mark.line + 1 if mark else None
        raise error from None
    except YAMLError as exc:
        error = InputsFileError(f"inputs.yaml: {' '.join(str(exc).split())}")
        error.line = None
        raise error from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        error = InputsFileError(
            "inputs.yaml: the top level must be a mapping of input names to values"
        )
        error.line = 1
        raise error
    return loaded


def _file_error(exc: Exception) -> InputsFileError:
    error = InputsFileError(f"inputs.yaml: {exc}")
    error.line = None
    return error


def replace_scalars(text: str, values: dict[str, str]) -> str:
    """`text` with the scalar at each path (`dbs.0.password`) replaced by a plain one.

    Everything else — comments, key order, quoting, indentation — stays byte-for-byte. For
    swapping a sensitive value for its marker; the new values must be plain YAML scalars
    (no `: ` or `#`, not starting with a flow indicator). A path that is not a scalar in the
    text is left alone (the caller checks what it parses to).
    """
    if not values:
        return text
    root = YAML().compose(text)
    spans: dict[tuple[int, int], str] = {}
    for path, new in values.items():
        node = root
        for segment in segments(path):
            node = _child_node(node, segment)
            if node is None:
                break
        if node is None or not isinstance(node, ScalarNode):
            continue
        start, end = node.start_mark.index, node.end_mark.index
        block = node.style in ("|", ">")
        spans[(start, end)] = new + ("\n" if block and text[start:end].endswith("\n") else "")
    for (start, end), new in sorted(spans.items(), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _child_node(node, segment: Segment):
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == str(segment):
                return value
    elif isinstance(node, SequenceNode) and isinstance(segment, int) and segment < len(node.value):
        return node.value[segment]
    return None
