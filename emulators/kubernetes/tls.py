"""The emulator's own certificate authority, made at start as a cluster's installer would.

`Authority.generate()` makes a CA, a serving certificate for 127.0.0.1 and localhost and an
admin client certificate (CN `emulator-admin`, O `system:masters`), all ECDSA P-256 so a
test's emulator starts in milliseconds. `server_context()` is the TLS context the server
listens with: it presents the serving certificate and asks clients for a certificate
signed by the CA (optional: a bearer token is the other way in). A client certificate
from another CA fails the handshake (a real API server answers 401 instead; Python's `ssl`
cannot ask for a certificate without verifying it).
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ADMIN_USER = "emulator-admin"
ADMIN_GROUP = "system:masters"
_VALID_FOR = datetime.timedelta(days=365)


@dataclass(frozen=True)
class KeyPair:
    cert_pem: bytes
    key_pem: bytes


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(common_name: str, organization: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(attrs)


class Authority:
    """A CA key and certificate, and what it signed for the emulator."""

    def __init__(self, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate):
        self._key, self._cert = key, cert
        self.cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        self.server = self.issue("kube-apiserver", server_hosts=("127.0.0.1", "localhost"))
        self.admin = self.issue(ADMIN_USER, organization=ADMIN_GROUP)

    @classmethod
    def generate(cls, name: str = "akua-emulator-ca") -> Authority:
        key = _key()
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name(name))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + _VALID_FOR)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        return cls(key, cert)

    def issue(
        self,
        common_name: str,
        *,
        organization: str | None = None,
        server_hosts: tuple[str, ...] = (),
    ) -> KeyPair:
        """A certificate signed by this CA: a server's (for `server_hosts`) or a client's."""
        key = _key()
        now = datetime.datetime.now(datetime.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name, organization))
            .issuer_name(self._cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + _VALID_FOR)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        )
        if server_hosts:
            names: list[x509.GeneralName] = []
            for host in server_hosts:
                try:
                    names.append(x509.IPAddress(ipaddress.ip_address(host)))
                except ValueError:
                    names.append(x509.DNSName(host))
            builder = builder.add_extension(
                x509.SubjectAlternativeName(names), critical=False
            ).add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
        else:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
            )
        cert = builder.sign(self._key, hashes.SHA256())
        return KeyPair(cert.public_bytes(serialization.Encoding.PEM), _pem(key))

    def server_context(self, directory: Path) -> ssl.SSLContext:
        """The listening side: the serving certificate, client certificates from this CA."""
        cert, key = directory / "apiserver.crt", directory / "apiserver.key"
        cert.write_bytes(self.server.cert_pem + self.cert_pem)
        key.write_bytes(self.server.key_pem)
        key.chmod(0o600)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(cert, key)
        context.load_verify_locations(cadata=self.cert_pem.decode())
        context.verify_mode = ssl.CERT_OPTIONAL
        context.set_alpn_protocols(["http/1.1"])
        return context


def client_user(peer_cert: dict | None) -> tuple[str, list[str]] | None:
    """The user and groups a verified client certificate names (CN and O), or None."""
    if not peer_cert:
        return None
    user, groups = "", []
    for rdn in peer_cert.get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                user = value
            elif key == "organizationName":
                groups.append(value)
    return (user, groups) if user else None
