"""Kubeconfigs as people paste them: contexts to choose from, the one chosen kept, summarised.

`read(text)` parses and lists the contexts; `reduce(data, context)` keeps only that
context, its cluster and its user (what is stored, encrypted). Refused, with the reason:
anything that would make the Akua server read its own files or run programs — `exec`
and `auth-provider` users, `*-file`/path references (certificate-authority,
client-certificate, client-key, tokenFile). Put the data inline (`*-data`, `token`).
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from clusters.client import KubeconfigError, parse_kubeconfig

_FILE_KEYS = {
    "certificate-authority",
    "client-certificate",
    "client-key",
    "tokenFile",
    "token-file",
}


@dataclass(frozen=True)
class Summary:
    context: str
    server: str
    user_name: str
    namespace: str


def read(text: str) -> tuple[dict, list[str]]:
    """The parsed kubeconfig and its context names (current context first)."""
    data = parse_kubeconfig(text)
    names = [c.get("name") for c in data.get("contexts") or [] if c.get("name")]
    current = data.get("current-context")
    if current in names:
        names.remove(current)
        names.insert(0, current)
    return data, names


def _named(data: dict, section: str, name: str) -> dict:
    for item in data.get(section) or []:
        if item.get("name") == name:
            return item
    raise KubeconfigError(f'The kubeconfig has no {section[:-1]} named "{name}".')


def reduce(data: dict, context: str) -> tuple[dict, Summary]:
    """A kubeconfig with only `context`; refuses file references and exec plugins."""
    ctx = _named(data, "contexts", context)
    spec = ctx.get("context") or {}
    cluster = _named(data, "clusters", spec.get("cluster", ""))
    user = _named(data, "users", spec.get("user", "")) if spec.get("user") else {"name": ""}
    user_spec = user.get("user") or {}
    if "exec" in user_spec or "auth-provider" in user_spec:
        raise KubeconfigError(
            f'User "{user.get("name")}" gets its credentials by running a program (exec or '
            "auth-provider); Akua does not run programs from kubeconfigs. Use a service "
            "account token or a client certificate, inline."
        )
    for where, section in (("cluster", cluster.get("cluster") or {}), ("user", user_spec)):
        for key in _FILE_KEYS & set(section):
            raise KubeconfigError(
                f"The {where} refers to a file ({key}: {section[key]}); Akua cannot read files "
                f"on its server. Inline it as {key}-data (base64) instead."
                if key != "tokenFile" and key != "token-file"
                else "The user refers to a token file; put the token inline (token: …)."
            )
    server = (cluster.get("cluster") or {}).get("server", "")
    if not server:
        raise KubeconfigError(f'Cluster "{cluster.get("name")}" has no server URL.')
    reduced = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [cluster],
        "users": [user] if user.get("name") else [],
        "contexts": [ctx],
        "current-context": context,
    }
    summary = Summary(context, server, user.get("name", ""), spec.get("namespace", ""))
    return reduced, summary


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False)
