"""The one error type of the packaging substrate: a message a person can act on, with a place."""

from __future__ import annotations


class PackagingError(Exception):
    """A package cannot be loaded, resolved, exported or rendered.

    `str()` is one line, `file:line: message`, ready for a CLI, a form field or a git client.
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        return where + " ".join(self.message.split())
