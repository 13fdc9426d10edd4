"""Command line: `python -m akua.packaging render|export|vendor DIR`.

    render DIR [--inputs FILE] [--out OUT]   write manifests to OUT (default DIR/manifests),
                                             print the render hash, then one line per file
    render DIR --stdout                      print the manifests as one multi-document YAML stream
    render DIR --release NAME --namespace NS as `helm install NAME -n NS` (default: DIR/installation.yaml)
    export DIR                               the input JSON Schema on stdout
    vendor DIR                               fetch and vendor every dependency, update akua.lock
    sandbox                                  what a render can reach on this machine (JSON)

Rendering from the command line may fetch dependencies that are not vendored
yet (`--offline` refuses instead). On failure: exit status 1 and one line,
`error: <reason>`, on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from akua.packaging.errors import PackagingError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m akua.packaging", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_render = sub.add_parser("render", help="render a package to manifests")
    p_render.add_argument("dir", type=Path)
    p_render.add_argument(
        "--inputs",
        type=Path,
        help="inputs YAML (default: DIR/inputs.yaml, else DIR/inputs.example.yaml)",
    )
    p_render.add_argument("--out", type=Path, help="output directory (default: DIR/manifests)")
    p_render.add_argument(
        "--stdout", action="store_true", help="print the manifests instead of writing files"
    )
    p_render.add_argument("--offline", action="store_true", help="never fetch dependencies")
    p_render.add_argument(
        "--release", help="the release name, ctx.release() (default: DIR/installation.yaml)"
    )
    p_render.add_argument(
        "--namespace", help="the namespace, ctx.namespace() (default: DIR/installation.yaml)"
    )
    p_export = sub.add_parser("export", help="print the input JSON Schema")
    p_export.add_argument("dir", type=Path)
    p_vendor = sub.add_parser("vendor", help="fetch and vendor the dependencies")
    p_vendor.add_argument("dir", type=Path)
    sub.add_parser("sandbox", help="print what a render can reach on this machine")
    args = parser.parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except PackagingError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except Exception as exc:  # the contract is one line, never a traceback
        return _fail(f"{type(exc).__name__}: {exc}")


def _render(args) -> int:
    from akua.packaging import render, write_manifests
    from akua.packaging.package import read_inputs
    from akua.packaging.target import namespace_problem, release_problem

    for problem in (
        args.release is not None and release_problem(args.release),
        args.namespace is not None and namespace_problem(args.namespace),
    ):
        if problem:
            raise PackagingError(f"--{problem}")
    inputs = read_inputs(args.inputs) if args.inputs else None
    result = render(
        args.dir,
        inputs,
        allow_fetch=not args.offline,
        release=args.release,
        namespace=args.namespace,
    )
    if args.stdout:
        sys.stdout.write("".join("---\n" + f.content.decode("utf-8") for f in result.files))
        return 0
    out = args.out or (args.dir / "manifests")
    write_manifests(result, out)
    print(result.hash)
    for f in result.files:
        print(out / f.name)
    return 0


def _export(args) -> int:
    from akua.packaging import export_schema

    print(json.dumps(export_schema(args.dir), indent=2, ensure_ascii=False))
    return 0


def _vendor(args) -> int:
    try:
        from akua.packaging.vendor import vendor_all
    except ImportError:
        raise PackagingError(
            "vendoring is not available in this build (akua.packaging.vendor is missing)"
        ) from None
    entries = vendor_all(args.dir)
    for entry in entries:
        print(
            " ".join(
                str(getattr(entry, attr, "")) for attr in ("name", "version", "digest")
            ).strip()
        )
    return 0


def _sandbox(args) -> int:
    from akua.packaging.sandbox import probe

    paths = ["/etc/hostname", "/etc/passwd", f"/proc/{os.getppid()}/environ", str(Path.home())]
    print(json.dumps(probe(paths), indent=2))
    return 0


_COMMANDS = {"render": _render, "export": _export, "vendor": _vendor, "sandbox": _sandbox}


def _fail(message: str) -> int:
    print("error: " + " ".join(message.split()), file=sys.stderr)
    return 1
