"""The emulator's HTTPS face: TLS, authentication, fault injection, and writing answers.

Each connection is handled in its own thread; the TLS handshake happens there too, so a
slow client does not hold up the others. A client authenticates with a certificate signed
by the emulator's CA or with the bearer token (a wrong token is 401; neither is the
anonymous user, 403 except for `/version` and the health checks). Watch answers are
streamed as chunked JSON, one event per line.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import api
from .errors import ApiError, forbidden
from .tls import ADMIN_USER, client_user

HANDSHAKE_TIMEOUT = 10.0


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    emulator = None  # the Emulator, set after construction

    def __init__(self, address, context: ssl.SSLContext):
        super().__init__(address, Handler)
        self.socket = context.wrap_socket(
            self.socket, server_side=True, do_handshake_on_connect=False
        )
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout, dropped connection) is not the emulator's fault

    def drop_connections(self) -> None:
        """Close every open connection, as a server that went away would."""
        with self.connections_lock:
            connections, self.connections = self.connections, set()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def setup(self):
        self.request.settimeout(HANDSHAKE_TIMEOUT)
        self.request.do_handshake()
        self.request.settimeout(None)
        super().setup()
        # Headers and body go out in two writes; without this, Nagle + delayed ACK cost 40 ms each.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self):
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, *args):
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_DELETE(self):
        self._handle("DELETE")

    def _user(self, path: str, method: str) -> str:
        em = self.server.emulator
        auth = self.headers.get("Authorization")
        certified = client_user(self.connection.getpeercert())
        if certified is not None:
            return certified[0]
        if auth is None:
            if path.rstrip("/") in api.PUBLIC:
                return "system:anonymous"
            raise forbidden(
                f'forbidden: User "system:anonymous" cannot {method.lower()} path "{path}"'
            )
        if auth != f"Bearer {em.token}":
            raise ApiError(401, "Unauthorized", "Unauthorized")
        return ADMIN_USER

    def _handle(self, method: str) -> None:
        em = self.server.emulator
        if em.unreachable:  # drop the connection without an answer
            self.close_connection = True
            return
        if em.latency:
            time.sleep(em.latency)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            user = self._user(url.path, method)
            reply = api.route(em, method, url.path, query, raw, headers, user)
        except ApiError as e:
            reply = api.Reply(e.code, e.status(), method.lower())
        em.count(reply.verb, url.path)
        if reply.verb == "watch":
            self._stream(reply)
            return
        if isinstance(reply.body, bytes):
            data = reply.body
        elif isinstance(reply.body, str):
            data = reply.body.encode()
        else:
            data = json.dumps(reply.body).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, reply: api.Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for event in reply.body:
                data = json.dumps(event).encode() + b"\n"
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()
            if self.server.emulator.stopping():
                # A server that went away ends no stream cleanly: the connection just drops
                # (without this, a watch that noticed before `drop_connections` got to its
                # socket would end as if its timeout had come).
                self.close_connection = True
                return
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:
            self.close_connection = True
