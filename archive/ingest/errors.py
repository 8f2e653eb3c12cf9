"""The one exception a pipeline step raises to reject a file, with what to tell the user."""
from __future__ import annotations

from typing import Any


class Rejected(Exception):
    """A file the archive will not take, and the user-facing reason (Indonesian, via gettext).

    The reason may be a lazy string (``lazy_gettext``): steps that run in the
    pipeline's worker thread have no request, so the text is only rendered
    in the language of the request when ``message`` is read there.
    """

    def __init__(self, message: Any, http_status: int = 422) -> None:
        super().__init__(message)
        self._message = message
        self.http_status = http_status

    @property
    def message(self) -> str:
        return str(self._message)
