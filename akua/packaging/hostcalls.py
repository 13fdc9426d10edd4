"""The first wall: KCL functions that reach the host are refused by reading the syntax tree.

A render is a pure function of the package tree and its inputs. KCL's system modules
can read the environment (`file.read_env`), write, append, copy, move or delete files
(`file.*`, `json.dump_to_file`, `yaml.dump_*_to_file`), ask the host for its name
(`net.fqdn`) or read the clock and a random source (`datetime.now/today/ticks/date`,
`crypto.uuid`). Every `.k` file of the package and of its nested packages is parsed
with kcl-lib before anything runs; a reference to one of those functions, through
`import file` or `import file as f`, called or only named, is an error at its line.

Refusal is by allow-list per guarded module, so a function a later kcl-lib adds is
refused until someone decides it is safe. Reading files (`file.read`, `file.glob`,
`crypto.filesha256`, ...) stays allowed: in the sandbox only the package tree is there
to read. The empty environment, the private root and Landlock are the second wall.

Runs inside the render child (it parses with kcl-lib).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from akua.packaging.errors import PackagingError

# module -> functions a package may use; anything else of the module is refused.
ALLOWED = {
    "file": {
        "read",
        "readbase64",
        "glob",
        "exists",
        "size",
        "abs",
        "workdir",
        "current",
        "modpath",
    },
    "json": {"encode", "decode", "validate", "merge"},
    "yaml": {"encode", "encode_all", "decode", "decode_all", "validate"},
    "datetime": {"validate", "is_iso8601", "is_rfc3339"},
    "net": {
        "split_host_port",
        "join_host_port",
        "to_IP4",
        "to_IP6",
        "parse_CIDR",
        "IP_string",
        "is_IPv4",
        "is_IP",
        "is_loopback_IP",
        "is_multicast_IP",
        "is_interface_local_multicast_IP",
        "is_link_local_multicast_IP",
        "is_link_local_unicast_IP",
        "is_global_unicast_IP",
        "is_unspecified_IP",
        "parse_IP",
        "is_IPv6",
        "CIDR_subnet",
        "CIDR_subnets",
        "CIDR_host",
        "CIDR_netmask",
        "is_IP_in_CIDR",
    },
    "crypto": {
        "md5",
        "sha1",
        "sha224",
        "sha256",
        "sha384",
        "sha512",
        "blake3",
        "filesha256",
        "filesha512",
        "fileblake3",
    },
}

# A guarded module can only be reached through an import statement naming it; a file with no
# such text (a continuation line counts) cannot reach one. Parsing is for the others.
_MAY_IMPORT = re.compile(r"\bimport[\s\\]+(?:" + "|".join(ALLOWED) + r")\b")

_WHY = {
    "file.read_env": "reads the server's environment",
    "file": "changes files on the server",
    "json": "writes files",
    "yaml": "writes files",
    "datetime": "reads the clock, so the same inputs would render differently",
    "net": "asks the host for its name",
    "crypto": "is random, so the same inputs would render differently",
}


def check_file(path: Path, code: str, *, display: str, parse) -> None:
    """Refuse host functions in one file's code; `parse(path, code)` returns kcl-lib's AST JSON."""
    if not _MAY_IMPORT.search(code):
        return  # no `import <guarded module>` anywhere, not even in a string: nothing to parse
    try:
        tree = json.loads(parse(str(path), code))
    except (ValueError, TypeError):
        return  # KCL cannot read it either; it fails when it is imported
    aliases = {}
    for node in _nodes(tree):
        if node.get("type") == "Import" and node.get("rawpath") in ALLOWED:
            aliases[node.get("name") or node["rawpath"]] = node["rawpath"]
    if not aliases:
        return
    for node, line in _identifiers(tree):
        names = [n.get("node") if isinstance(n, dict) else n for n in node.get("names") or []]
        if len(names) < 2 or names[0] not in aliases:
            continue
        module, function = aliases[names[0]], names[1]
        if function not in ALLOWED[module]:
            raise PackagingError(
                f"`{module}.{function}` is not allowed in a package: it "
                f"{_WHY.get(f'{module}.{function}') or _WHY[module]}. "
                "Pass what the package needs as an input instead",
                file=display,
                line=line,
            )


def _nodes(value):
    """Every AST node (a dict with a `type`), depth first."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "type" in item:
                yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _identifiers(value):
    """(Identifier node, line) pairs; the line comes from the node's wrapper."""
    stack = [(value, None)]
    while stack:
        item, line = stack.pop()
        if isinstance(item, dict):
            line = item.get("line", line)
            if item.get("type") == "Identifier":
                yield item, line
            stack.extend((v, line) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, line) for v in item)
