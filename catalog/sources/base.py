from __future__ import annotations

from dataclasses import dataclass, field


class SourceError(Exception):
    """Upstream could not be listed; `message` is what the vendor sees."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Upstream:
    """`versions` newest first (chart versions, tags); `commit` the tracked git ref's commit."""

    versions: list[str] = field(default_factory=list)
    commit: str = ""
