"""The render in progress: which package is rendering, its resolved dependencies, the nesting chain.

kcl-lib's plugin registry is process-global, so the engines find "the
current package" here. Frames form a stack per thread: a nested package
render pushes a frame and pops it when done. `LOCK` serialises renders in
the process (kcl-lib hands plugin results back through one global buffer)
and is re-entrant so nested renders in the same thread go through.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from akua.packaging.errors import PackagingError
from akua.packaging.target import Target

MAX_DEPTH = 16
LOCK = threading.RLock()
_local = threading.local()


@dataclass
class Frame:
    package_dir: Path
    name: str
    deps: dict = field(default_factory=dict)  # alias -> resolve.Resolved
    allow_fetch: bool = False
    error: PackagingError | None = None  # the first engine error, re-raised after KCL returns
    target: Target = field(default_factory=Target)  # release and namespace (ctx.release())


def stack() -> list[Frame]:
    if not hasattr(_local, "stack"):
        _local.stack = []
    return _local.stack


def current() -> Frame:
    frames = stack()
    if not frames:
        raise PackagingError("an Akua engine was called outside a render")
    return frames[-1]


@contextmanager
def entered(frame: Frame):
    """Push `frame` for the duration of a render, refusing cycles and runaway nesting."""
    frames = stack()
    here = frame.package_dir.resolve()
    chain = [f.name for f in frames] + [frame.name]
    if any(f.package_dir.resolve() == here for f in frames):
        raise PackagingError(f"package cycle: {' -> '.join(chain)}")
    if len(frames) >= MAX_DEPTH:
        raise PackagingError(f"packages nested more than {MAX_DEPTH} deep: {' -> '.join(chain)}")
    frames.append(frame)
    try:
        yield frame
    finally:
        frames.pop()
