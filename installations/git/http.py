"""Smart HTTP for installation repositories: `git http-backend` behind a Django view.

`/git/<workspace>/<installation>.git/(info/refs|git-upload-pack|git-receive-pack)`.
HTTP Basic with any user name and an API token as the password. No or a wrong token:
401 with `WWW-Authenticate`; a repository the token does not reach: 404; a read token
asking to push, or any push to a deleted installation (whose repository is kept
read-only for audit: clone and fetch still work): 403 with a message the git client prints.

The request body is copied into http-backend by a small thread and its output is
streamed back as it comes (StreamingHttpResponse), so a clone of any size never sits in
memory. For `git-receive-pack` the same loop that streams the output also answers the
repository's hooks on a per-request Unix socket (`hooks.HookSocket`): the push checks
and what follows an accepted push run here, in this thread, with this process's database
connection. A client that stops sending its body (nothing arrives for
AKUA_GIT_IDLE_SECONDS, 60 s) has its backend stopped and its response ended there (nothing
of the push was taken), so a stalled request cannot hold a worker thread and an
http-backend process. Pushes to one repository are serialised by its write lock
(installations.repository.WriteLock, also taken by render commits and maintenance) taken
when the pre-receive hook calls and released when http-backend exits, so of two pushes racing
from the same commit the second is checked against the first's result and told to pull.
"""

from __future__ import annotations

import logging
import os
import selectors
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from installations.access import can_change_installation
from installations.git import post_receive
from installations.git.checks import QuarantinedRepository, RefUpdate, check_push
from installations.git.hooks import HookRequest, HookSocket, install_hooks
from installations.git.limits import Limits, RefusalNotes, receive_config
from installations.git.tokens import authenticate, basic_auth_password, token_reaches
from installations.models import ApiToken, Installation
from installations.repository import WriteLock

logger = logging.getLogger(__name__)

REALM = "Akua"
SERVICES = ("git-upload-pack", "git-receive-pack")
CHUNK = 64 * 1024
DELETED_READ_ONLY = (
    "this installation was deleted; its repository is read-only (clone and fetch still work)."
)
_HOP_BY_HOP = {"connection", "transfer-encoding", "keep-alive", "content-length"}


def _text(status: int, message: str, **headers) -> HttpResponse:
    response = HttpResponse(
        message.rstrip("\n") + "\n", status=status, content_type="text/plain; charset=utf-8"
    )
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return response


def _unauthorized(message: str) -> HttpResponse:
    return _text(401, message, WWW_Authenticate=f'Basic realm="{REALM}", charset="UTF-8"')


def _get_installation_for_token(
    token: ApiToken, slug: str, installation_id: str
) -> Installation | None:
    inst = (
        Installation.objects.select_related("customer_workspace", "workspace", "package_version")
        .filter(pk=installation_id, customer_workspace__slug=slug)
        .first()
    )
    if inst is None or not token_reaches(token, inst):
        return None
    return inst


@csrf_exempt
def git_http(request: HttpRequest, slug: str, installation_id: str, path: str) -> HttpResponse:
    service = request.GET.get("service") if path == "info/refs" else path
    if service not in SERVICES or (path != "info/refs" and request.method != "POST"):
        return _text(404, "Not found: Akua serves git's smart HTTP protocol only.")
    password = basic_auth_password(request.headers.get("Authorization", ""))
    if password is None:
        return _unauthorized("Authentication required: use an Akua API token as the password.")
    token = authenticate(password)
    if token is None:
        return _unauthorized("That API token is not valid (wrong, revoked or expired).")
    inst = _get_installation_for_token(token, slug, installation_id)
    if inst is None:
        return _text(404, "Repository not found.")
    if service == "git-receive-pack" and inst.state == Installation.State.DELETED:
        return _text(403, DELETED_READ_ONLY)
    if service == "git-receive-pack" and not token.can_write:
        return _text(
            403,
            f"The API token '{token.name}' is read-only: it can clone and fetch, not push. "
            "Use a read-write token to push.",
        )
    if not (inst.repo_path / "HEAD").is_file():
        return _text(404, "Repository not found.")
    install_hooks(inst.repo_path)
    return _Backend(request, inst, token, path).response()


class _Backend:
    """One run of `git http-backend`: body in, CGI headers parsed, output streamed out."""

    def __init__(self, request: HttpRequest, inst: Installation, token: ApiToken, path: str):
        self.request = request
        self.inst = inst
        self.token = token
        self.hooks = HookSocket() if path == "git-receive-pack" else None
        self.lock: WriteLock | None = None
        self.accepted: list[RefUpdate] = []
        self.stderr = tempfile.TemporaryFile()
        self.idle_seconds = settings.GIT_IDLE_SECONDS
        self.last_input = time.monotonic()  # when the body last brought bytes (the feeder)
        self.stalled = False
        root = settings.REPOS_DIR
        rel = inst.repo_path.relative_to(root)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/"),
            "LC_ALL": "C",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_PROJECT_ROOT": str(root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": f"/{rel}/{path}",
            "QUERY_STRING": request.META.get("QUERY_STRING", ""),
            "REQUEST_METHOD": request.method,
            "CONTENT_TYPE": request.META.get("CONTENT_TYPE", ""),
            "REMOTE_USER": token.user.get_username(),
            "REMOTE_ADDR": request.META.get("REMOTE_ADDR", ""),
            "SERVER_PROTOCOL": request.META.get("SERVER_PROTOCOL", "HTTP/1.1"),
            "GIT_COMMITTER_NAME": "Akua",
            "GIT_COMMITTER_EMAIL": "akua@localhost",
        }
        for meta, name in (
            ("HTTP_CONTENT_ENCODING", "HTTP_CONTENT_ENCODING"),
            ("HTTP_GIT_PROTOCOL", "GIT_PROTOCOL"),
            ("CONTENT_LENGTH", "CONTENT_LENGTH"),
        ):
            if request.META.get(meta):
                env[name] = request.META[meta]
        self.notes: RefusalNotes | None = None
        if self.hooks:
            env.update(self.hooks.env())
            # fsck and the pack-size limit (installations.git.limits), for every push
            limits = Limits.from_settings()
            env.update(receive_config(limits))
            self.notes = RefusalNotes(limits)
        # Its own process group: `git http-backend` runs git-http-backend as a child, which
        # spins at full CPU if its body ends short of CONTENT_LENGTH (git 2.39); killing the
        # group, not only `git`, leaves no such orphan.
        self.proc = subprocess.Popen(
            ["git", "http-backend"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
            start_new_session=True,
        )
        self.expected = int(env.get("CONTENT_LENGTH") or 0)  # 0: chunked, read to the end
        self.fed = 0
        self.cut_short = False  # the client went away before sending its whole body
        self.feeder = threading.Thread(target=self._feed, daemon=True)
        self.feeder.start()
        self.selector = selectors.DefaultSelector()
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.selector.register(self.proc.stdout, selectors.EVENT_READ, "out")
        if self.hooks:
            self.selector.register(self.hooks, selectors.EVENT_READ, "hook")

    # -- body in ----------------------------------------------------------------------

    def _feed(self) -> None:
        # Without CONTENT_LENGTH (a chunked body, decoded by the server) read to the end.
        stream = (
            self.request
            if self.request.META.get("CONTENT_LENGTH")
            else self.request.META["wsgi.input"]
        )
        try:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    self.cut_short = self.fed < self.expected
                    break
                self.last_input = time.monotonic()
                self.fed += len(chunk)
                self.proc.stdin.write(chunk)
        except (BrokenPipeError, ValueError):
            pass
        except OSError:  # the client's connection failed mid-body
            self.cut_short = self.fed < self.expected
        finally:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    # -- output out -------------------------------------------------------------------

    def _read(self) -> bytes:
        """The next bytes of http-backend's output (b"" at the end), serving hooks meanwhile."""
        while True:
            for key, _ in self.selector.select(timeout=min(5.0, self.idle_seconds)):
                if key.data == "hook":
                    self.hooks.serve_one(self._handle_hook)
                    continue
                try:
                    data = os.read(self.proc.stdout.fileno(), CHUNK)
                except BlockingIOError:
                    continue
                return data
            if self.proc.poll() is not None and not self.selector.select(timeout=0):
                return b""
            idle = time.monotonic() - self.last_input > self.idle_seconds
            if self.cut_short or (self.feeder.is_alive() and idle):
                # the client stopped sending its body or went away: nothing more will come
                self.stalled = True
                self._kill()
                return b""

    def response(self) -> HttpResponse:
        buffer = b""
        while b"\r\n\r\n" not in buffer and b"\n\n" not in buffer:
            data = self._read()
            if not data:
                self._close()
                logger.error("git http-backend gave no response: %s", self._stderr())
                return _text(500, "git http-backend failed; see the server log.")
            buffer += data
        crlf, lf = buffer.find(b"\r\n\r\n"), buffer.find(b"\n\n")
        sep = b"\r\n\r\n" if crlf != -1 and (lf == -1 or crlf < lf) else b"\n\n"
        head, rest = buffer.split(sep, 1)
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            name, value = name.strip(), value.strip()
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name and name.lower() not in _HOP_BY_HOP:
                headers.append((name, value))
        response = StreamingHttpResponse(self._stream(rest), status=status)
        for name, value in headers:
            response[name] = value
        return response

    def _stream(self, first: bytes) -> Iterator[bytes]:
        notes = self.notes
        try:
            if first:
                yield notes.feed(first) if notes else first
            while data := self._read():
                yield notes.feed(data) if notes else data
            if notes and (rest := notes.flush()):
                yield rest
            self.proc.wait()
            if self.stalled:
                logger.info(
                    "git request for %s stopped sending its body for %s s; ended it",
                    self.inst.pk,
                    self.idle_seconds,
                )
            elif self.proc.returncode:
                logger.warning(
                    "git http-backend exited %s for %s: %s",
                    self.proc.returncode,
                    self.inst.pk,
                    self._stderr(),
                )
        finally:
            self._close()

    def _stderr(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace").strip()[-2000:]

    def _kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()

    def _close(self) -> None:
        if self.proc.poll() is None:
            self._kill()
        self.selector.close()
        self.proc.stdout.close()
        self.stderr.close()
        if self.hooks:
            self.hooks.close()
        self._unlock()

    # -- hooks ------------------------------------------------------------------------

    def _lock(self) -> None:
        # The repository's write lock (installations.repository.WriteLock): pushes, render
        # commits and maintenance never overlap.
        if self.lock is None:
            lock = WriteLock(self.inst.repo_path)
            lock.acquire()
            self.lock = lock

    def _unlock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _handle_hook(self, hook: HookRequest) -> tuple[bool, list[str]]:
        try:
            updates = [RefUpdate(*u) for u in hook.updates]
            if hook.hook == "pre-receive":
                self._lock()
                repo = QuarantinedRepository(self.inst.repo_path, hook.env)
                problems = check_push(
                    self.inst,
                    repo,
                    updates,
                    can_push_main=can_change_installation(self.token.user, self.inst),
                )
                if problems:
                    return False, [
                        f"Akua: push refused; {len(problems)} problem(s), nothing was changed:"
                    ] + [f"  {p}" for p in problems]
                return True, ["Akua: checks passed."]
            if hook.hook == "post-receive":
                return True, post_receive.accepted(self.inst, self.token.user, updates)
        except Exception:
            logger.exception("the %s hook of %s failed", hook.hook, self.inst.pk)
            return False, ["Akua: internal error while checking the push; nothing was changed."]
        return False, [f"Akua: unknown hook {hook.hook}."]
