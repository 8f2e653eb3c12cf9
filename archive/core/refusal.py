"""``Refused``: the one way an operation says "no" to a user.

Operations raise it with a message the user can act on; the transaction
boundary (``core.transaction``) rolls back and turns it into a flashed
message, a form error or the JSON error shape of ``docs/API.md``.
"""
from __future__ import annotations

from typing import Any


class Refused(Exception):
    """A refused action: ``message`` is shown to the user, ``status`` is the HTTP code,
    ``field`` names the form or JSON field the message belongs to, if any.

    The message may be a lazy string (``lazy_gettext``): pipeline steps that
    run in a worker thread have no request, so the text is rendered in the
    request's language only when ``message`` is read there.
    """

    def __init__(self, message: Any, status: int = 422, field: str | None = None) -> None:
        super().__init__(message)
        self._message = message
        self.status = status
        self.field = field

    @property
    def message(self) -> str:
        return str(self._message)

    def __str__(self) -> str:
        return self.message
