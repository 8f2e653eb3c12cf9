"""The one exception a pipeline step raises to reject a file, with what to tell the user."""
from __future__ import annotations


class Rejected(Exception):
    """A file the archive will not take: ``message`` is user-facing (Indonesian, via gettext)."""

    def __init__(self, message: str, http_status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
