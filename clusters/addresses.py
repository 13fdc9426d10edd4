"""Which addresses Akua may connect to as a cluster's API server (AKUA_CLUSTER_ALLOW_PRIVATE).

A kubeconfig names any URL, so importing one makes the Akua server connect where a
stranger says. With AKUA_CLUSTER_ALLOW_PRIVATE off (recommended in production, see
docs/security.md), servers whose address is loopback, link-local (cloud metadata at
169.254.169.254), private (RFC 1918, fc00::/7), shared (100.64.0.0/10), unspecified,
multicast or reserved are refused:

- at import (`check_server`), as a sentence on the form;
- at every connection (`guard`): each new connection of the client's pool resolves the
  host itself, refuses if any address is not allowed, and connects to the address it
  checked. A name that resolves to a public address at import and to 127.0.0.1 a minute
  later (DNS rebinding) is refused at that connection, because the address checked is the
  address connected to. What this cannot see: an allowed public address that forwards to
  an internal one (a proxy or NAT the stranger runs sees their network, not Akua's).

The embedded demo's emulator listens on 127.0.0.1, so the setting defaults to on.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_SHARED = ipaddress.ip_network("100.64.0.0/10")


class AddressNotAllowed(Exception):
    """The server's address is in a range this Akua does not connect to; `str()` says which."""


def refusal(address: str) -> str | None:
    """Why an IP address is not allowed ("a loopback address"…), or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for test, words in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_multicast, "a multicast address"),
        (ip.version == 4 and ip in _SHARED, "a shared (carrier-grade NAT) address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
    ):
        if test:
            return words
    return None


def resolve(host: str, port: int) -> list[str]:
    """The allowed addresses of `host`; AddressNotAllowed when any one is not allowed.
    socket.gaierror when the name does not resolve."""
    infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        why = refusal(address)
        if why:
            shown = host if host == address else f"{host} ({address})"
            raise AddressNotAllowed(
                f"The server {shown} is {why}; this Akua does not connect to loopback, "
                "link-local or private addresses (AKUA_CLUSTER_ALLOW_PRIVATE is off)."
            )
    return addresses


def check_server(url: str) -> None:
    """Refuse a server URL whose host resolves to an address not allowed. A name that does
    not resolve passes (the probe says "DNS failure"; every connection is checked again)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        resolve(parts.hostname, port)
    except (socket.gaierror, UnicodeError):
        return


class _Checked:
    """A urllib3 connection that connects only to an address `resolve` allowed."""

    def _new_conn(self):
        host = self._dns_host
        addresses = resolve(host, self.port)
        last: Exception | None = None
        try:
            for address in addresses:  # super() connects to `_dns_host`: the checked address
                self._dns_host = address
                try:
                    return super()._new_conn()
                except OSError as e:
                    last = e
            raise last  # type: ignore[misc]
        finally:
            self._dns_host = host  # TLS checks the certificate against the name


def _pool(base):
    connection = type(f"Checked{base.ConnectionCls.__name__}", (_Checked, base.ConnectionCls), {})
    return type(f"Checked{base.__name__}", (base,), {"ConnectionCls": connection})


_POOLS = {"http": _pool(HTTPConnectionPool), "https": _pool(HTTPSConnectionPool)}


def guard(pool_manager) -> None:
    """Make every new connection of a urllib3 PoolManager check its address first."""
    pool_manager.pool_classes_by_scheme = dict(_POOLS)
