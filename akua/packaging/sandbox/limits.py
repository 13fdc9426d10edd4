"""What one render may use: memory, CPU time, wall time, output size and resource count.

The defaults are measured (bench/render.py, docs/security.md):
- memory: the limit is the child's address space (RLIMIT_AS). The Helm engine's Go
  runtime reserves about 1 GiB of it when it loads ("failed to reserve page summary
  memory" under 1 GiB); a warmed-up child maps 1.44 GiB of which 93 MiB is resident.
  At 1.5 GiB one start in 20 cannot create a thread; at 2 GiB none of 40 failed, and
  ~550 MiB are left for the render itself. KCL alone runs in 64 MiB.
- CPU and wall time: the 700-value fixture chart renders in well under a second; a
  render that needs more than 15 s of CPU is a loop, not a package.
- output: the largest public charts (hundreds of CRDs) render to a few MiB of JSON.

A process sets its own defaults once at startup (`set_default_limits`, from Django
settings `AKUA_RENDER_*` in the server); a call may pass its own `Limits`.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, replace

MiB = 1024 * 1024
# A warmed-up child maps 1.44 GiB (93 MiB resident): the Go runtime reserves ~1 GiB of
# address space and 8 MiB per thread. At 1.5 GiB about 1 start in 20 fails to create a
# thread (the parent retries it once); at 2 GiB none of 40 did.
MIN_MEMORY_MIB = 1536


@dataclass(frozen=True)
class Limits:
    memory_mib: int = 2048  # address space of the render process (RLIMIT_AS)
    cpu_seconds: int = 15  # CPU time of the render (RLIMIT_CPU)
    wall_seconds: float = 20.0  # from handing the job over to its answer
    output_mib: int = 64  # the render's answer: manifests or schema, as JSON
    resources: int = 5000  # Kubernetes objects one render may produce

    def __post_init__(self):
        for name, value in asdict(self).items():
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"render limit {name} must be a positive number, got {value!r}")
        if self.memory_mib < MIN_MEMORY_MIB:
            raise ValueError(f"render limit memory_mib must be at least {MIN_MEMORY_MIB} (MiB)")

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Limits:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def but(self, **changes) -> Limits:
        return replace(self, **changes)


_lock = threading.Lock()
_defaults = Limits()


def default_limits() -> Limits:
    return _defaults


def set_default_limits(limits: Limits) -> None:
    """The limits of every render in this process that does not pass its own."""
    global _defaults
    if not isinstance(limits, Limits):
        raise TypeError("set_default_limits takes a Limits")
    with _lock:
        _defaults = limits
