"""Run a KCL program with kcl-lib and turn its errors into one-line PackagingErrors.

Loaded only inside the render child (akua.packaging.sandbox); tests/test_layering.py
keeps every other module from importing it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import kcl_lib.api as kcl_api
from kcl_lib.api import (
    Argument,
    ExecProgramArgs,
    ExternalPkg,
    GetSchemaTypeMappingArgs,
    ParseFileArgs,
)

from akua.packaging.errors import PackagingError

STDLIB_DIR = Path(__file__).parent / "stdlib" / "akua"

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# ` --> /path/file.k:12:5` (compile errors) and `---> File /path/file.k:12:5: message` (runtime)
_ARROW = re.compile(r"^\s*-->\s*(?P<file>.+?):(?P<line>\d+)(?::\d+)?\s*$")
_FILE = re.compile(r"^\s*---> File (?P<file>.+?):(?P<line>\d+)(?::\d+)?: ?(?P<msg>.*)$")
_CARET = re.compile(r"^\s*\|\s*\^*\s*(?P<msg>\S.*)$")
_HEADING = re.compile(r"^(?P<level>error|warning)\[\w+\]: (?P<kind>\w+)")
_GENERIC = {"Instance check failed", "Schema check failed"}

_api: kcl_api.API | None = None


def api() -> kcl_api.API:
    global _api
    if _api is None:
        from akua.packaging import engines

        engines.register()
        _api = kcl_api.API()
    return _api


@dataclass
class Program:
    """One KCL program: its main file (maybe virtual), its code and where its imports come from.

    `display` maps paths KCL reports (the virtual main file, generated modules)
    to the names a person should see.
    """

    main_file: str
    code: str
    packages: dict[str, str]
    display: dict[str, str]

    def exec_args(
        self, inputs: dict | None = None, *, compile_only: bool = False, target=None
    ) -> ExecProgramArgs:
        args = [Argument(name="input", value=json.dumps(inputs))] if inputs else []
        if target is not None:  # ctx.release(), ctx.namespace() (akua.packaging.target)
            args.append(Argument(name="release", value=json.dumps(target.release)))
            args.append(Argument(name="namespace", value=json.dumps(target.namespace)))
        return ExecProgramArgs(
            compile_only=compile_only,
            k_filename_list=[self.main_file],
            k_code_list=[self.code],
            work_dir=str(Path(self.main_file).parent),
            args=args,
            external_pkgs=[ExternalPkg(pkg_name=n, pkg_path=p) for n, p in self.packages.items()],
        )


def run(program: Program, inputs: dict | None = None, *, target=None) -> dict:
    """Execute the program; its top-level values as a dict, in the order KCL produced them.

    `target` (release and namespace) becomes the KCL options `ctx.release()`/`ctx.namespace()` read.
    """
    try:
        result = api().exec_program(program.exec_args(inputs, target=target))
    except Exception as exc:  # compile errors come back as exceptions
        raise to_error(str(exc), program) from None
    if result.err_message:
        raise to_error(result.err_message, program)
    if not result.json_result.strip():
        return {}
    return json.loads(result.json_result)


def check(program: Program) -> None:
    """Parse and type-check the program without running it."""
    try:
        result = api().exec_program(program.exec_args(compile_only=True))
    except Exception as exc:
        if not is_only_warnings(str(exc)):
            raise to_error(str(exc), program) from None
        return
    if result.err_message:
        raise to_error(result.err_message, program)


def schema_type(program: Program, name: str):
    """kcl-lib's type description of schema `name` in the main file, or None."""
    args = GetSchemaTypeMappingArgs(exec_args=program.exec_args(), schema_name=name)
    try:
        result = api().get_schema_type_mapping(args)
    except Exception as exc:
        raise to_error(str(exc), program) from None
    return result.schema_type_mapping.get(name)


def parse(path: str, code: str) -> str:
    """kcl-lib's syntax tree of one file, as JSON (akua.packaging.hostcalls reads it)."""
    return api().parse_file(ParseFileArgs(path=path, source=code)).ast_json


def is_only_warnings(text: str) -> bool:
    levels = [m.group("level") for m in map(_HEADING.match, _ANSI.sub("", text).splitlines()) if m]
    return bool(levels) and all(level == "warning" for level in levels)


def to_error(text: str, program: Program) -> PackagingError:
    """Read kcl-lib's error report: the most specific message, at the place it names."""
    lines = _ANSI.sub("", text).splitlines()
    found: list[tuple[str, int, str]] = []
    kind = ""
    warning = False
    for i, line in enumerate(lines):
        if heading := _HEADING.match(line):
            warning = heading.group("level") == "warning"
            if not warning:
                kind = kind or heading.group("kind")
        elif re.match(r"^\w*Error\s*$", line):
            warning = False
        elif warning:
            continue
        elif m := _FILE.match(line):
            found.append((m.group("file"), int(m.group("line")), m.group("msg").strip()))
        elif m := _ARROW.match(line):
            msg = ""
            for follow in lines[i + 1 : i + 6]:
                if caret := _CARET.match(follow):
                    msg = caret.group("msg").strip()
                    break
            found.append((m.group("file"), int(m.group("line")), msg))
    if not found:
        first = next((line.strip() for line in lines if line.strip()), "KCL failed")
        return PackagingError(first)
    specific = [f for f in found if f[2] and f[2] not in _GENERIC] or found
    file, line, msg = specific[-1] if kind == "" else specific[0]
    if not msg:
        msg = kind or "KCL error"
    if msg.startswith("Check failed on the condition"):
        msg = "check failed: " + msg.split(":", 1)[1].strip()
    return PackagingError(msg, file=program.display.get(file, file), line=line)
