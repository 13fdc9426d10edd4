"""The engines package.k calls through KCL plugins: helm, kustomize and nested packages.

Each engine is a plain function taking the options mapping KCL passes. An
error is recorded on the current render frame before KCL sees it, so the
render reports the engine's own message and place, not the KCL call site.
"""

from __future__ import annotations

import functools

from kcl_lib.plugin import plugin as kcl_plugin

from akua.packaging import context
from akua.packaging.errors import PackagingError

_registered = False


def register() -> None:
    """Make `kcl_plugin.helm`, `kcl_plugin.kustomize` and `kcl_plugin.pkg` callable from KCL."""
    global _registered
    if _registered:
        return
    from akua.packaging.engines import helm, kustomize, pkg

    kcl_plugin.register_plugin("helm", {"template": _reporting(helm.template)})
    kcl_plugin.register_plugin("kustomize", {"build": _reporting(kustomize.build)})
    kcl_plugin.register_plugin("pkg", {"render": _reporting(pkg.render)})
    _registered = True


def _reporting(fn):
    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except PackagingError as exc:
            _record(exc)
            raise
        except Exception as exc:  # an engine bug must still come back as a message
            error = PackagingError(f"{fn.__module__.rsplit('.', 1)[-1]}: {exc}")
            _record(error)
            raise error from exc

    return call


def _record(error: PackagingError) -> None:
    frames = context.stack()
    if frames and frames[-1].error is None:
        frames[-1].error = error


def options(args: tuple, kwargs: dict) -> dict:
    """The options mapping of a plugin call: one positional mapping, or keywords."""
    if args and isinstance(args[0], dict):
        return {**args[0], **kwargs}
    return dict(kwargs)
