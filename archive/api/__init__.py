"""JSON API v1 (``/api/v1``): the blueprint, token authentication, and the shared
request-validation and serialization helpers.

Each feature keeps its own endpoints in ``<feature>/api.py`` (``entries/api.py``,
``reports/api.py``, ``search/api.py``, ``main/api.py`` for camat, topics and
trips), registering them on ``bp``; ``create_app`` imports them.

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

