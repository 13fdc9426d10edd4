"""Kustomize engine: `kubectl kustomize <dir>`, when kubectl is installed.

kubectl runs with a bare environment (PATH only, HOME pointed at an empty
directory) so the output depends on the directory alone. Remote bases in a
kustomization would reach the network; vendor them instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import yaml

from akua.packaging import context
from akua.packaging.engines import options
from akua.packaging.errors import PackagingError
from akua.packaging.yamlio import load_all

TIMEOUT_SECONDS = 120


def build(*args, **kwargs) -> list[dict]:
    """The `kcl_plugin.kustomize.build` plugin: options {path}."""
    opts = options(args, kwargs)
    frame = context.current()
    if not opts.get("path"):
        raise PackagingError("kustomize.build needs path (a directory with a kustomization.yaml)")
    target = (frame.package_dir / opts["path"]).resolve()
    if not target.is_dir():
        raise PackagingError(f"kustomize: {opts['path']} is not a directory", file=str(target))
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        raise PackagingError(
            "kustomize.build needs kubectl on PATH (`kubectl kustomize`); install kubectl or render the overlay with helm or KCL",
            file=str(target),
        )
    with tempfile.TemporaryDirectory(prefix="akua-kustomize-") as home:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home}
        try:
            proc = subprocess.run(
                [kubectl, "kustomize", str(target)],
                input="",  # never the render child's stdin: the next job arrives there
                capture_output=True,
                text=True,
                env=env,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PackagingError(
                f"kubectl kustomize took longer than {TIMEOUT_SECONDS}s", file=str(target)
            ) from None
    if proc.returncode != 0:
        reason = " ".join(proc.stderr.split()) or f"exit status {proc.returncode}"
        raise PackagingError(f"kubectl kustomize failed: {reason}", file=str(target))
    try:
        docs = [doc for doc in load_all(proc.stdout) if doc is not None]
    except yaml.YAMLError as exc:
        raise PackagingError(
            f"kubectl kustomize printed invalid YAML: {exc}", file=str(target)
        ) from None
    return docs
