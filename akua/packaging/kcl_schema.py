"""A package's `schema Input` as JSON Schema 2020-12, read through kcl-lib's type API.

Runs inside the render child (akua.packaging.evaluate); `akua.packaging.schema.export_schema`
is the entry point everywhere else.

str/int/float/bool -> string/integer/number/boolean; `[T]` -> array; `{str:T}`
-> object with additionalProperties; nested schemas -> nested objects (inline,
with their name as title); unions -> oneOf, unions of literals -> enum;
defaults (evaluated by KCL) -> default; docstrings -> description;
attributes without `?` -> required; `@ui(...)` -> x-ui. Properties keep the
order they are written in.
"""

from __future__ import annotations

import json
import re

from akua.packaging import kcl_runner, modules
from akua.packaging.errors import PackagingError
from akua.packaging.kcl_runner import Program
from akua.packaging.package import Package, load_package
from akua.packaging.resolve import PACKAGE, Resolved
from akua.packaging.ui import SourceInfo

INPUT_SCHEMA = "Input"
_SCALARS = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}
_LITERAL = re.compile(r"^(str|int|float|bool)\((.*)\)$", re.DOTALL)
_MAX_NESTING = 32


def has_input_schema(package: Package) -> bool:
    return bool(re.search(rf"^schema\s+{INPUT_SCHEMA}\b", package.source.code, re.MULTILINE))


def input_schema(package: Package, deps: dict[str, Resolved], program: Program) -> dict:
    """The JSON Schema of `schema Input` (without `$schema`), its defaults evaluated by KCL."""
    kcl_runner.check(program)
    kcl_type = kcl_runner.schema_type(program, INPUT_SCHEMA)
    if kcl_type is None:
        raise PackagingError(
            f"KCL did not report `schema {INPUT_SCHEMA}`", file=str(package.program_file)
        )
    sources = {"__main__": package.source}
    for alias, dep in deps.items():
        if dep.kind == PACKAGE:
            sources[f"pkgs.{alias}"] = load_package(dep.dir).source
    converter = _Converter(sources)
    schema = converter.convert(kcl_type)
    converter.fill_defaults(program)
    return schema


class _Converter:
    def __init__(self, sources: dict[str, SourceInfo]):
        self.sources = sources
        self.defaults: list[tuple[dict, str, str]] = []  # (schema node, pkg path, KCL expression)

    def convert(self, t, depth: int = 0) -> dict:
        if depth > _MAX_NESTING:
            return {}
        kind = t.type
        if kind in _SCALARS:
            return {"type": _SCALARS[kind]}
        if literal := _LITERAL.match(kind):
            return {"const": _literal(*literal.groups())}
        if kind == "list":
            return (
                {"type": "array", "items": self.convert(t.item, depth + 1)}
                if t.item.type
                else {"type": "array"}
            )
        if kind == "dict":
            node = {"type": "object"}
            if t.item.type and t.item.type != "any":
                node["additionalProperties"] = self.convert(t.item, depth + 1)
            return node
        if kind == "schema":
            return self._schema(t, depth)
        if kind == "union":
            return self._union(t, depth)
        return {}

    def _schema(self, t, depth: int) -> dict:
        source = self.sources.get(t.pkg_path or "__main__") or SourceInfo(code="")
        docs = source.docs.get(t.schema_name, {})
        ui = source.ui.get(t.schema_name, {})
        node: dict = {"type": "object", "title": t.schema_name}
        if t.schema_doc:
            node["description"] = t.schema_doc.strip()
        props = {}
        for name, prop in sorted(t.properties.items(), key=lambda kv: (kv[1].line, kv[0])):
            child = self.convert(prop, depth + 1)
            description = docs.get(name) or prop.description
            if description:
                child["description"] = description.strip()
            if prop.default:
                self.defaults.append((child, t.pkg_path or "__main__", prop.default))
            if name in ui:
                child["x-ui"] = ui[name]
            props[name] = child
        node["properties"] = props
        required = [name for name in props if name in set(t.required)]
        conditions = _conditions(props, required)
        if required:
            node["required"] = required
        if conditions:
            node["allOf"] = conditions
        signature = t.index_signature
        if signature.val.type or signature.any_other:
            value = signature.val
            node["additionalProperties"] = (
                self.convert(value, depth + 1) if value.type not in ("", "any") else True
            )
        else:
            node["additionalProperties"] = False
        return node

    def _union(self, t, depth: int) -> dict:
        members = list(t.union_types)
        literals, others, nullable = [], [], False
        for m in members:
            if literal := _LITERAL.match(m.type):
                literals.append(_literal(*literal.groups()))
            elif m.type in ("any", "None", "NoneType"):
                nullable = True
            else:
                others.append(self.convert(m, depth + 1))
        if nullable and (literals or others):
            literals.append(None) if literals and not others else others.append({"type": "null"})
        if literals and not others:
            return {"enum": literals}
        if literals:
            others.insert(0, {"enum": literals})
        if not others:
            return {}
        return {"oneOf": others} if len(others) > 1 else others[0]

    def fill_defaults(self, program: Program) -> None:
        """Evaluate every default expression with KCL and set it on its node."""
        if not self.defaults:
            return
        main = [(node, expr) for node, pkg, expr in self.defaults if pkg == "__main__"]
        rest = [(node, expr) for node, pkg, expr in self.defaults if pkg != "__main__"]
        values = _evaluate(program, [e for _, e in main], with_schemas=True)
        if values is None:
            rest = main + rest
        else:
            for (node, _), value in zip(main, values, strict=True):
                node["default"] = value
        for node, expr in rest:
            values = _evaluate(program, [expr], with_schemas=False)
            if values is not None:
                node["default"] = values[0]


def _evaluate(program: Program, exprs: list[str], *, with_schemas: bool) -> list | None:
    """The values of KCL expressions, evaluated next to the program's schemas; None if KCL refuses."""
    head = ""
    if with_schemas:
        imports = "\n".join(
            line for line in program.code.split("\n") if re.match(r"^import\s", line)
        )
        _, schemas = modules.schema_source(program.code)
        head = imports + "\n\n" + schemas + "\n\n"
    body = "akua_defaults__ = [\n" + ",\n".join(f"    ({e})" for e in exprs) + "\n]\n"
    probe = Program(program.main_file, head + body, program.packages, program.display)
    try:
        values = kcl_runner.run(probe)
    except PackagingError:
        return None
    result = values.get("akua_defaults__")
    if not isinstance(result, list) or len(result) != len(exprs):
        return None
    return json.loads(json.dumps(result))


def _conditions(props: dict, required: list[str]) -> list[dict]:
    """`@ui(when=...)` -> `if`/`then` entries for the object's `allOf`.

    `when="tls"`: shown and required when the sibling `tls` is true; `when={"tier":
    "large"}`: when every named sibling has that value. Write the attribute with `?` (it
    is absent while its condition is false); it leaves the object's `required` list.
    """
    out = []
    for name, child in props.items():
        when = (child.get("x-ui") or {}).get("when")
        if when is None:
            continue
        if isinstance(when, str):
            when = {when: True}
        if not isinstance(when, dict) or not when:
            raise PackagingError(
                f"@ui(when=...) on {name}: give a sibling name or a {{name: value}} mapping"
            )
        for other in when:
            if other not in props:
                raise PackagingError(f"@ui(when=...) on {name}: {other} is not an attribute")
        condition = {
            "if": {
                "properties": {k: {"const": v} for k, v in when.items()},
                "required": list(when),
            },
            "then": {"properties": {name: {}}, "required": [name]},
        }
        if name in required:
            required.remove(name)
        out.append(condition)
    return out


def _literal(kind: str, text: str):
    if kind == "str":
        return text
    if kind == "bool":
        return text == "True"
    if kind == "int":
        return int(text)
    return float(text)
