"""Commands run their work in a blank request context (gettext and ``url_for``
read the request); it is marked, so that the code below can tell a command
from a request a client is waiting for."""
from __future__ import annotations

from flask import current_app, has_request_context, request
from flask.ctx import RequestContext

#: the WSGI environ key that marks a command's request context
COMMAND_KEY = "archive.command"


def command_context() -> RequestContext:
    """The request context a command runs its work in (Indonesian, no client).

    A POST, as commands write: on SQLite a GET's transactions begin DEFERRED
    (``extensions._tune_sqlite``), and a deferred transaction that reads and
    then writes fails at once if a web worker wrote in between."""
    return current_app.test_request_context(method="POST",
                                            environ_overrides={COMMAND_KEY: True})


def serving_request() -> bool:
    """True in a request a client waits for; False in a command, also inside its
    ``command_context``."""
    return has_request_context() and not request.environ.get(COMMAND_KEY)
