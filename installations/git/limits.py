"""What a push may hold, so no push can make a repository unclonable or huge forever.

History is never rewritten (DESIGN §3), so whatever a push gets in stays. Three walls:

1. git's own, set for every push through the `git http-backend` environment
   (`receive_config`): `receive.fsckObjects` (malformed objects, a tree entry named
   `.git` in any spelling, `..`, bad modes, …) and `receive.maxInputSize`, the pack-size
   limit AKUA_GIT_MAX_PACK_MB, enforced while the pack is received, before it fills a
   disk. git's own message for these is terse, so `RefusalNotes` adds an `Akua:` line
   naming the limit to the answer git sends back (the client prints it as `remote: …`).
2. The pushed objects (`object_problems`, run by the pre-receive checks before anything
   else): no symbolic links and no submodules (gitlinks) anywhere in the pushed history,
   no file larger than AKUA_GIT_MAX_FILE_MB, no file or folder name over
   `MAX_NAME_BYTES` and no path over `MAX_PATH_BYTES` bytes.
3. The pushed tip may hold at most AKUA_GIT_MAX_FILES files, not counting `manifests/`
   (Akua's, which a push may not change).

Akua's own commits follow the same name rules (`installations.repository._check_path`), and
manifest file names are capped at 100 bytes (akua.packaging.manifests).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from installations.layout import in_manifests
from installations.repository import MAX_NAME_BYTES, Repository

MAX_PATH_BYTES = 4096
MAX_LINES_PER_KIND = 3
MODE_SYMLINK = b"120000"
MODE_GITLINK = b"160000"


@dataclass(frozen=True)
class Limits:
    pack_bytes: int
    file_bytes: int
    files: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(settings.GIT_MAX_PACK_BYTES, settings.GIT_MAX_FILE_BYTES, settings.GIT_MAX_FILES)


def size(n: int) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"


def receive_config(limits: Limits) -> dict[str, str]:
    """The git configuration of every push, as environment variables for http-backend
    (`GIT_CONFIG_COUNT`…): it reaches receive-pack and index-pack, and covers repositories
    made before these settings existed."""
    config = {
        "receive.fsckObjects": "true",
        "receive.maxInputSize": str(limits.pack_bytes),
    }
    env = {"GIT_CONFIG_COUNT": str(len(config))}
    for i, (key, value) in enumerate(config.items()):
        env[f"GIT_CONFIG_KEY_{i}"] = key
        env[f"GIT_CONFIG_VALUE_{i}"] = value
    return env


# -- the pushed objects ------------------------------------------------------------------


def object_problems(repo: Repository, new: str, limits: Limits) -> list[str]:
    """Symlinks, submodules, oversized files and names in the objects the push adds, and
    too many files at its tip; one line per problem (a few per kind, then a count)."""
    listed = repo._git("rev-list", "--objects", new, "--not", "--all").stdout
    paths: dict[str, str] = {}
    for line in listed.decode("utf-8", "surrogateescape").splitlines():
        sha, _, path = line.partition(" ")
        paths[sha] = path
    if not paths:
        return []
    found: dict[str, list[str]] = {}

    def add(kind: str, line: str) -> None:
        found.setdefault(kind, []).append(line)

    checked = repo._git(
        "cat-file",
        "--batch-check=%(objectname) %(objecttype) %(objectsize)",
        input="".join(f"{sha}\n" for sha in paths).encode(),
    ).stdout.decode()
    trees = []
    for line in checked.splitlines():
        sha, kind, length = line.split()
        if kind == "tree":
            trees.append(sha)
        elif kind == "blob" and int(length) > limits.file_bytes:
            add(
                "file",
                f"{paths[sha] or sha}: {size(int(length))}; a file may be at most "
                f"{size(limits.file_bytes)} (AKUA_GIT_MAX_FILE_MB).",
            )
    for tree_sha, entries in _read_trees(repo, trees):
        folder = paths.get(tree_sha, "")
        for mode, name in entries:
            shown = _show(folder, name)
            if mode == MODE_SYMLINK:
                add("link", f"{shown} is a symbolic link; only regular files can be pushed.")
            elif mode == MODE_GITLINK:
                add(
                    "submodule",
                    f"{shown} is a submodule (gitlink); copy the files in instead.",
                )
            if len(name) > MAX_NAME_BYTES:
                add(
                    "name",
                    f"{shown}: a name of {len(name)} bytes; file and folder names may be at "
                    f"most {MAX_NAME_BYTES} bytes.",
                )
            elif len(folder.encode("utf-8", "surrogateescape")) + 1 + len(name) > MAX_PATH_BYTES:
                add("path", f"{shown}: paths may be at most {MAX_PATH_BYTES} bytes.")
    problems = []
    for lines in found.values():
        problems += lines[:MAX_LINES_PER_KIND]
        if len(lines) > MAX_LINES_PER_KIND:
            problems.append(f"… and {len(lines) - MAX_LINES_PER_KIND} more like it.")
    listing = repo._git("ls-tree", "-r", "-z", "--name-only", "--full-tree", new).stdout
    # manifests/ is Akua's (a push may not change it) and limited by the render
    names = listing.decode("utf-8", "surrogateescape").split("\0")
    count = sum(1 for p in names if p and not in_manifests(p))
    if count > limits.files:
        problems.append(
            f"the tree has {count} files; a repository may hold at most {limits.files} "
            "(AKUA_GIT_MAX_FILES)."
        )
    return problems


def _read_trees(repo: Repository, shas: list[str]):
    """(sha, [(mode, name bytes)]) of each tree, from one `git cat-file --batch`."""
    if not shas:
        return
    out = repo._git("cat-file", "--batch", input="".join(f"{s}\n" for s in shas).encode()).stdout
    pos = 0
    for sha in shas:
        header_end = out.index(b"\n", pos)
        length = int(out[pos:header_end].split()[2])
        body = out[header_end + 1 : header_end + 1 + length]
        pos = header_end + 1 + length + 1
        entries, i = [], 0
        while i < len(body):
            space = body.index(b" ", i)
            nul = body.index(b"\0", space)
            entries.append((body[i:space].rjust(6, b"0"), body[space + 1 : nul]))
            i = nul + 1 + 20  # the 20-byte object id
        yield sha, entries


def _show(folder: str, name: bytes) -> str:
    text = name.decode("utf-8", "replace")
    if len(text) > 60:
        text = text[:60] + "…"
    return f"{folder}/{text}" if folder else text


# -- git's own refusals, explained ---------------------------------------------------------


class RefusalNotes:
    """Adds an `Akua:` line after git's own message when receive-pack refuses a pack.

    The answer to a push is a sequence of pkt-lines (4 hex digits of length, then the
    data); with side-band, data starting with byte 2 (or 3) is text the client prints as
    `remote: …`. When such a line says the pack was too large or failed git's object
    check, one more band-2 line follows it naming the limit. Anything that does not
    parse as pkt-lines passes through untouched.
    """

    def __init__(self, limits: Limits):
        self.notes = {
            b"pack exceeds maximum allowed size": (
                f"Akua: push refused: it is larger than {size(limits.pack_bytes)}, the most "
                "one push may send (AKUA_GIT_MAX_PACK_MB); nothing was changed."
            ),
            b"fsck error": (
                "Akua: push refused: git's object check (receive.fsckObjects) found the "
                "problem above, e.g. a tree entry named .git; nothing was changed."
            ),
        }
        self.pending = b""
        self.passthrough = False
        self.added: set[bytes] = set()

    def feed(self, data: bytes) -> bytes:
        if self.passthrough:
            return data
        buf, out = self.pending + data, bytearray()
        while len(buf) >= 4:
            try:
                length = int(buf[:4], 16)
            except ValueError:
                self.passthrough = True
                self.pending = b""
                return bytes(out) + buf
            if length < 4:  # flush, delimiter, response end
                out += buf[:4]
                buf = buf[4:]
                continue
            if len(buf) < length:
                break
            packet, buf = buf[:length], buf[length:]
            out += packet
            if packet[4:5] in (b"\x02", b"\x03"):
                for marker, note in self.notes.items():
                    if marker in packet and marker not in self.added:
                        self.added.add(marker)
                        out += _pkt(b"\x02" + note.encode() + b"\n")
        self.pending = buf
        return bytes(out)

    def flush(self) -> bytes:
        rest, self.pending = self.pending, b""
        return rest


def _pkt(data: bytes) -> bytes:
    return f"{len(data) + 4:04x}".encode() + data
