"""Work a request does after its answer has been sent: the client no longer waits for it.

The WSGI server closes the response after its last byte, before the worker
takes its next request (``response.call_on_close``), so the worker still
does the work in order, one request at a time; only the client is spared
the wait. Outside a request (a command) the work runs at once.

Only work that may be lost is put here: what it makes can be made again from
the database (the search index from the outbox, thumbnails from the
original), because a worker killed between the answer and the work never
does it. An error in it is logged; the answer has gone already.
"""
from __future__ import annotations

import logging
from typing import Callable

from flask import after_this_request, current_app, g

from .commands import serving_request

log = logging.getLogger(__name__)


def after_answer(work: Callable[[], None], *, once: str | None = None) -> None:
    """Run ``work`` in an app context once this request's answer is sent (at once
    outside a request and in a command's ``command_context``). ``once``: a name, so that work asked for several times
    in one request runs once. Work runs in the order it was asked for."""
    if not serving_request():
        _run(work)
        return
    if once is not None:
        asked = g.setdefault("_after_answer_once", set())
        if once in asked:
            return
        asked.add(once)
    if "_after_answer" not in g:
        g._after_answer = []
        app = current_app._get_current_object()
        queued = g._after_answer

        @after_this_request
        def _when_sent(response):
            response.call_on_close(lambda: _run_all(app, queued))
            return response
    g._after_answer.append(work)


def _run_all(app, queued: list[Callable[[], None]]) -> None:
    with app.app_context():
        for work in queued:
            _run(work)


def _run(work: Callable[[], None]) -> None:
    try:
        work()
    except Exception:
        log.exception("work after the answer failed: %r", work)
