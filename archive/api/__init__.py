"""JSON API v1 (``/api/v1``): entries, camat, topics and trips for scripts and other systems.

Reads of published data need no login; writes need a per-user bearer token
(``archive.api.auth``). The blueprint is exempt from CSRF because it never
reads the session cookie: a token in a header cannot be sent by another site.
Errors under ``/api/`` come back as JSON ``{"message", "status"}`` from
``archive.errors``.
"""
from __future__ import annotations

from flask import Blueprint, Response, g

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.after_request
def _challenge_bearer(response: Response) -> Response:
    # RFC 6750: a 401 names the scheme it wants, and why a token was refused.
    if response.status_code == 401 and "WWW-Authenticate" not in response.headers:
        error = g.get("api_token_error")
        challenge = 'Bearer realm="api"'
        if error:
            challenge += f', error="{error}"'
        response.headers["WWW-Authenticate"] = challenge
    return response


# The API's own modules register their routes on ``bp``.
from . import camat, entries, meta  # noqa: E402,F401

# Other engineers' API modules: one import line each, added by their owners.
from . import reports  # noqa: E402,F401
from . import search  # noqa: E402,F401
