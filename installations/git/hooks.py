"""The repository hooks and the socket they call back on, inside the web process.

Each repository gets a `pre-receive` and a `post-receive` hook: a few lines of stdlib
Python that send what git gives them (the ref updates, and the quarantine directory
holding the pushed objects) as one JSON line to a Unix socket named in `AKUA_HOOK_SOCKET`,
print the lines that come back (git shows them as `remote: …`) and exit 0 or 1.

The socket belongs to the request being served: `http.git_http` opens it in a private
temporary directory for each `git-receive-pack` request, passes its path and a one-time
secret to `git http-backend` through the environment (which reaches the hooks), and
answers the hooks on the same thread that serves the request. So the checks run with the
view's database connection and settings — no second process needs to reach the database,
which is what makes it work alike under tests (in-memory SQLite) and in production.

A push that does not come through Akua's view (someone with shell access pushing to the
path) finds no socket and is refused.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HOOKS = ("pre-receive", "post-receive")
MAX_MESSAGE = 1024 * 1024

_SCRIPT = """#!{python}
# Installed by Akua ({hook}); rewritten when it differs. Do not edit.
import json, os, socket, sys

path = os.environ.get("AKUA_HOOK_SOCKET")
if not path:
    print("Akua: push through Akua's git URL; this repository cannot be pushed to directly.")
    sys.exit(1)
updates = [line.split() for line in sys.stdin.read().splitlines() if line.strip()]
request = {{
    "hook": "{hook}",
    "secret": os.environ.get("AKUA_HOOK_SECRET", ""),
    "updates": updates,
    "env": {{k: os.environ.get(k, "") for k in (
        "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH")}},
}}
try:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(600)
        s.connect(path)
        s.sendall(json.dumps(request).encode() + b"\\n")
        s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    answer = json.loads(data.decode() or "{{}}")
except (OSError, ValueError) as exc:
    print("Akua: the push checks could not run (%s); nothing was changed." % exc)
    sys.exit(1)
for line in answer.get("messages", []):
    print(line)
sys.stdout.flush()
sys.exit(0 if answer.get("ok") else 1)
"""


def hook_script(hook: str) -> str:
    return _SCRIPT.format(python=sys.executable, hook=hook)


def install_hooks(repo_path: Path) -> None:
    """Write the hooks into the repository unless they are there already, exactly."""
    hooks_dir = Path(repo_path) / "hooks"
    hooks_dir.mkdir(exist_ok=True)
    for hook in HOOKS:
        target = hooks_dir / hook
        script = hook_script(hook)
        try:
            if target.read_text() == script and os.access(target, os.X_OK):
                continue
        except OSError:
            pass
        fd, tmp = tempfile.mkstemp(dir=hooks_dir, prefix=f".{hook}-")
        with os.fdopen(fd, "w") as f:
            f.write(script)
        os.chmod(tmp, 0o755)
        os.replace(tmp, target)  # atomic: a concurrent push sees the old or the new hook


@dataclass
class HookRequest:
    hook: str
    updates: list[tuple[str, str, str]]
    env: dict[str, str]


class HookSocket:
    """A listening Unix socket for one request's hooks, and its one-time secret."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="akua-hook-")  # mode 0700: only this user
        self.path = os.path.join(self.dir, "s")
        self.secret = secrets.token_urlsafe(32)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(self.path)
        self.sock.listen(4)
        self.sock.setblocking(False)

    def env(self) -> dict[str, str]:
        return {"AKUA_HOOK_SOCKET": self.path, "AKUA_HOOK_SECRET": self.secret}

    def fileno(self) -> int:
        return self.sock.fileno()

    def serve_one(self, handler) -> None:
        """Accept one hook connection, call `handler(HookRequest) -> (ok, [lines])`, answer."""
        try:
            conn, _ = self.sock.accept()
        except BlockingIOError:
            return
        with conn:
            conn.setblocking(True)
            conn.settimeout(60)
            ok, messages = False, ["Akua: the push checks failed; nothing was changed."]
            try:
                data = b""
                while len(data) < MAX_MESSAGE:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                request = json.loads(data.decode())
                if not secrets.compare_digest(str(request.get("secret", "")), self.secret):
                    messages = ["Akua: this hook call is not for this push."]
                else:
                    ok, messages = handler(
                        HookRequest(
                            hook=str(request["hook"]),
                            updates=[tuple(u) for u in request["updates"] if len(u) == 3],
                            env={k: str(v) for k, v in (request.get("env") or {}).items()},
                        )
                    )
            finally:
                answer = json.dumps({"ok": ok, "messages": messages}).encode()
                try:
                    conn.sendall(answer)
                except OSError:
                    pass

    def close(self) -> None:
        self.sock.close()
        shutil.rmtree(self.dir, ignore_errors=True)
