"""A thin Kubernetes API client over the official `kubernetes` package: one per cluster.

`KubeClient.from_kubeconfig(yaml_text)` builds the client with
`kubernetes.config.new_client_from_config_dict` (so TLS, client certificates, tokens and
exec plugins work as kubectl's do) and sends plain REST requests through its connection
pool with short timeouts and no retries. Results are dicts, as `kubectl get -o json`
prints them. Errors are two exception classes a person can read:

- `ApiError`: the API server answered with an error (its code, reason and message);
- `Unreachable`: no answer; `.reason` says why in words (DNS, TLS, refused, timeout…);
  `NotKubernetes`, one of them: something answered, but not as a Kubernetes API server.

What a server answers is never repeated beyond its status line, unless it is a Kubernetes
`Status` (a kubeconfig can name any URL: echoing the answer would let anyone read pages of
internal services). With `allow_private=False` every connection first checks its address
(clusters.addresses, AKUA_CLUSTER_ALLOW_PRIVATE).

Discovery (kind -> resource, namespaced or not) is cached per server for a few minutes,
and read again when a kind is not found (a CRD applied a moment ago).
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import urllib3
import yaml
from kubernetes import config as kube_config
from kubernetes.client.exceptions import ApiException

from akua.packaging import yamlio
from clusters.addresses import AddressNotAllowed, guard

DEFAULT_TIMEOUT = (3.0, 10.0)  # connect, read
DISCOVERY_TTL = 300.0


class ClusterError(Exception):
    """Something went wrong talking to a cluster; `str()` is for a person."""


class KubeconfigError(ClusterError):
    pass


class Unreachable(ClusterError):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class NotKubernetes(Unreachable):
    """Something answered at the server URL, but not as a Kubernetes API server."""

    def __init__(self, host: str, status: int, content_type: str):
        super().__init__(
            f"The server at {host} did not answer as a Kubernetes API server "
            f"(HTTP {status}, {content_type or 'no content type'})."
        )


class ApiError(ClusterError):
    def __init__(self, code: int, reason: str, message: str, body: dict | None = None):
        self.code, self.reason, self.message, self.body = code, reason, message, body or {}
        line = f"{code} {reason}" if reason else f"{code}"
        super().__init__(f"{line}: {message}" if message else line)

    @property
    def words(self) -> str:
        """What a 401/403 means to a person; the server's message otherwise."""
        if self.code == 401:
            return "401 Unauthorized: the cluster rejected the credentials in the kubeconfig"
        if self.code == 403:
            return f"403 Forbidden: the credentials are not allowed to do this ({self.message})"
        return str(self)


class NotServed(ApiError):
    """Discovery does not list the kind: the cluster does not serve its API group version."""

    unserved = True

    def __init__(self, api_version: str, kind: str):
        self.api_version, self.kind = api_version, kind
        super().__init__(
            404, "NotFound", f'the server does not serve kind "{kind}" in {api_version}'
        )


@dataclass(frozen=True)
class ObjectRef:
    api_version: str
    kind: str
    namespace: str
    name: str

    @property
    def subject(self) -> str:
        return "/".join(p for p in (self.kind, self.namespace, self.name) if p)

    @classmethod
    def of(cls, obj: dict) -> ObjectRef:
        meta = obj.get("metadata") or {}
        return cls(
            obj.get("apiVersion", ""),
            obj.get("kind", ""),
            meta.get("namespace") or "",
            meta.get("name") or "",
        )


@dataclass(frozen=True)
class Resource:
    group_version: str
    plural: str
    namespaced: bool
    listable: bool = True
    kind: str = ""


def _resource(group_version: str, r: dict) -> Resource:
    verbs = r.get("verbs")
    listable = "list" in verbs if isinstance(verbs, list) else True
    return Resource(group_version, r["name"], r["namespaced"], listable, r.get("kind", ""))


def describe_unreachable(exc: BaseException, server: str = "") -> str:
    """An exception from urllib3/ssl/socket as a sentence: why the cluster did not answer."""
    chain: list[BaseException] = []
    seen = exc
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = (
            getattr(seen, "reason", None)
            if isinstance(getattr(seen, "reason", None), BaseException)
            else (seen.__cause__ or seen.__context__)
        )
    host = urlsplit(server).hostname or server
    text = " ".join(f"{type(e).__name__}: {e}" for e in chain)

    def any_of(*types) -> bool:
        return any(isinstance(e, types) for e in chain)

    if any_of(socket.gaierror, urllib3.exceptions.NameResolutionError):
        return f"DNS failure: the name {host} could not be resolved"
    if any_of(ssl.SSLError, urllib3.exceptions.SSLError):
        tls = next(e for e in chain if isinstance(e, ssl.SSLError | urllib3.exceptions.SSLError))
        return f"TLS error: {_short(tls)}"
    if any_of(ConnectionRefusedError) or "Connection refused" in text:
        return f"Connection refused by {host}: nothing listens at {server}"
    if any_of(urllib3.exceptions.ReadTimeoutError):
        return f"Timed out waiting for {server} to answer"
    if any_of(urllib3.exceptions.ConnectTimeoutError, socket.timeout, TimeoutError):
        return f"Timed out connecting to {server}"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return f"DNS failure: the name {host} could not be resolved"
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
        return f"TLS error: {text[:200]}"
    if "Connection refused" in text:
        return f"Connection refused by {host}: nothing listens at {server}"
    if "timed out" in text.lower():
        return f"Timed out talking to {server}"
    if isinstance(exc, urllib3.exceptions.ProtocolError) or "RemoteDisconnected" in text:
        return f"The connection to {server} was closed without an answer"
    return f"No answer from {server}: {_short(exc)}"


def _short(e: BaseException) -> str:
    return str(e).splitlines()[0][:200] if str(e) else type(e).__name__


def parse_kubeconfig(text: str) -> dict:
    try:
        data = yamlio.load(text)
    except yaml.YAMLError as e:
        raise KubeconfigError(f"This is not valid YAML: {_short(e)}") from None
    if not isinstance(data, dict) or not data.get("contexts"):
        raise KubeconfigError("This is not a kubeconfig: it has no contexts.")
    return data


_discovery_cache: dict[str, tuple[float, dict]] = {}
_discovery_lock = threading.Lock()


class KubeClient:
    def __init__(self, api_client, *, timeout=DEFAULT_TIMEOUT):
        self.api_client = api_client
        self.configuration = api_client.configuration
        self.host = self.configuration.host.rstrip("/")
        self.timeout = timeout
        self.requests = 0

    @classmethod
    def from_kubeconfig(
        cls,
        text: str | dict,
        context: str | None = None,
        *,
        timeout=DEFAULT_TIMEOUT,
        allow_private: bool = True,
    ) -> KubeClient:
        data = parse_kubeconfig(text) if isinstance(text, str) else text
        from kubernetes.client import Configuration

        configuration = type.__call__(Configuration)
        try:
            api_client = kube_config.new_client_from_config_dict(
                data,
                context=context or None,
                persist_config=False,
                client_configuration=configuration,
            )
        except Exception as e:  # ConfigException, ValueError, missing files…
            raise KubeconfigError(f"The kubeconfig cannot be used: {_short(e)}") from None
        configuration.retries = False
        # the pool was made before retries were set: make it again
        from kubernetes.client.rest import RESTClientObject

        api_client.rest_client = RESTClientObject(configuration)
        if not allow_private:
            if configuration.proxy:
                raise KubeconfigError(
                    "The kubeconfig names a proxy (proxy-url); this Akua checks the address of "
                    "every cluster it connects to, which a proxy would hide. Remove proxy-url."
                )
            guard(api_client.rest_client.pool_manager)
        return cls(api_client, timeout=timeout)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.api_client.rest_client.pool_manager.clear()

    # -- raw requests ------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        query: dict | None = None,
        body=None,
        content_type: str = "application/json",
        raw: bool = False,
        timeout=None,
    ):
        url = self.host + path + ("?" + urlencode(query) if query else "")
        headers = {"Accept": "application/json", "User-Agent": "akua"}
        if body is not None:
            headers["Content-Type"] = content_type
            # the kubernetes client serialises a body sent as JSON itself
            if not isinstance(body, str | bytes) and "json" not in content_type:
                body = json.dumps(body)
        auth = self.configuration.auth_settings().get("BearerToken")
        if auth and auth.get("value"):
            headers["Authorization"] = auth["value"]
        self.requests += 1
        try:
            response = self.api_client.rest_client.request(
                method, url, headers=headers, body=body, _request_timeout=timeout or self.timeout
            )
            data = response.read()
        except ApiException as e:
            if e.status == 0:  # urllib3 SSLError, wrapped by the kubernetes client
                raise Unreachable(f"TLS error: {str(e.reason).splitlines()[-1][:200]}") from None
            ctype = ((e.headers or {}).get("Content-Type") or "").split(";")[0].strip()
            raise _api_error(e.status, e.reason, e.body, self.host, ctype) from None
        except AddressNotAllowed as e:
            raise Unreachable(str(e)) from None
        except (urllib3.exceptions.HTTPError, OSError) as e:
            raise Unreachable(describe_unreachable(e, self.host)) from None
        content_type = (response.getheader("Content-Type") or "").split(";")[0].strip()
        if not 200 <= response.status < 300:
            raise _api_error(response.status, response.reason, data, self.host, content_type)
        if raw:
            return data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        try:
            return json.loads(data) if data else {}
        except ValueError:
            raise NotKubernetes(self.host, response.status, content_type) from None

    def get_json(self, path: str, **kw):
        return self.request("GET", path, **kw)

    # -- discovery -----------------------------------------------------------------------

    def _discovery(self, refresh: bool = False) -> dict:
        now = time.monotonic()
        with _discovery_lock:
            cached = _discovery_cache.get(self.host)
        if cached and not refresh and now - cached[0] < DISCOVERY_TTL:
            return cached[1]
        groups: dict[str, dict] = {"v1": {}}
        for r in self.get_json("/api/v1").get("resources", []):
            if "/" not in r["name"]:
                groups["v1"][r["kind"]] = _resource("v1", r)
        doc = {"groups": groups, "group_list": self.get_json("/apis").get("groups", [])}
        with _discovery_lock:
            _discovery_cache[self.host] = (now, doc)
        return doc

    def _group_version(self, group_version: str, doc: dict) -> dict:
        if group_version not in doc["groups"]:
            kinds = {}
            try:
                listing = self.get_json(f"/apis/{group_version}")
            except ApiError as e:
                if e.code != 404:
                    raise
                listing = {}
            for r in listing.get("resources", []):
                if "/" not in r["name"]:
                    kinds[r["kind"]] = _resource(group_version, r)
            doc["groups"][group_version] = kinds
        return doc["groups"][group_version]

    def resource(self, api_version: str, kind: str) -> Resource:
        doc = self._discovery()
        found = self._group_version(api_version, doc).get(kind)
        if found is None:  # maybe a CRD that was just established
            doc = self._discovery(refresh=True)
            found = self._group_version(api_version, doc).get(kind)
        if found is None:
            raise NotServed(api_version, kind)
        return found

    def api_groups(self) -> list[str]:
        return sorted(
            g["preferredVersion"]["groupVersion"]
            for g in self._discovery(refresh=True)["group_list"]
            if g.get("preferredVersion")
        )

    def namespaced_resources(self) -> list[Resource]:
        """Every namespaced kind the cluster lists, in each group's preferred version."""
        doc = self._discovery()
        versions = ["v1"] + [
            g["preferredVersion"]["groupVersion"]
            for g in doc["group_list"]
            if g.get("preferredVersion")
        ]
        out = []
        for group_version in versions:
            for resource in self._group_version(group_version, doc).values():
                if resource.namespaced and resource.listable:
                    out.append(resource)
        return out

    def path(self, ref: ObjectRef, *, namespace: str | None = None, name: bool = True) -> str:
        res = self.resource(ref.api_version, ref.kind)
        base = "/api/v1" if res.group_version == "v1" else f"/apis/{res.group_version}"
        ns = namespace if namespace is not None else ref.namespace
        if res.namespaced and ns:
            base += f"/namespaces/{ns}"
        base += f"/{res.plural}"
        return f"{base}/{ref.name}" if name else base

    def is_namespaced(self, api_version: str, kind: str) -> bool:
        return self.resource(api_version, kind).namespaced

    # -- objects -----------------------------------------------------------------------

    def get(self, ref: ObjectRef) -> dict | None:
        try:
            return self.get_json(self.path(ref))
        except ApiError as e:
            if e.code == 404:
                return None
            raise

    def list(self, api_version: str, kind: str, namespace: str = "", selector: str = "") -> list:
        ref = ObjectRef(api_version, kind, namespace, "")
        query = {"labelSelector": selector} if selector else None
        return self.get_json(self.path(ref, name=False), query=query).get("items", [])

    def apply(
        self, obj: dict, *, manager: str = "akua", force: bool = False, dry_run: bool = False
    ) -> dict:
        """Server-side apply; `dry_run`: what the server would store, nothing stored."""
        ref = ObjectRef.of(obj)
        query = {"fieldManager": manager}
        if force:
            query["force"] = "true"
        if dry_run:
            query["dryRun"] = "All"
        return self.request(
            "PATCH",
            self.path(ref),
            query=query,
            body=json.dumps(obj),
            content_type="application/apply-patch+yaml",
        )

    def merge_patch(self, ref: ObjectRef, patch: dict, *, manager: str = "akua") -> dict:
        """A JSON merge patch (RFC 7386): `None` values remove keys."""
        return self.request(
            "PATCH",
            self.path(ref),
            query={"fieldManager": manager},
            body=patch,
            content_type="application/merge-patch+json",
        )

    def delete(self, ref: ObjectRef) -> bool:
        """Delete (background propagation); False when it was already gone."""
        try:
            self.request(
                "DELETE",
                self.path(ref),
                body={
                    "kind": "DeleteOptions",
                    "apiVersion": "v1",
                    "propagationPolicy": "Background",
                },
            )
            return True
        except ApiError as e:
            if e.code == 404:
                return False
            raise


def _api_error(code: int, reason, data, host: str = "", content_type: str = "") -> ClusterError:
    """An error answer as an ApiError: a Kubernetes `Status` keeps its reason and message;
    anything else is its status line only (never its body), or NotKubernetes when it is
    not JSON at all."""
    body = None
    if isinstance(data, bytes | str) and data:
        try:
            body = json.loads(data)
        except ValueError:
            if host:
                return NotKubernetes(host, int(code or 0), content_type)
    if isinstance(body, dict) and body.get("kind") == "Status":
        return ApiError(
            int(code or 0),
            str(body.get("reason") or reason or ""),
            str(body.get("message") or "").strip()[:500],
            body,
        )
    return ApiError(int(code or 0), str(reason or ""), "")
