"""Bearer tokens for the API: ``token_required`` for writes, ``optional_token`` for reads.

A token is sent as ``Authorization: Bearer <token>`` and found by its sha256
(the token itself is never stored). Both decorators set ``g.api_user`` (None
for an anonymous read). A token that is sent but wrong is refused even on a
read, so that a script with a broken token learns it at once instead of
silently seeing only published entries.
"""
from __future__ import annotations

from datetime import timedelta
from functools import wraps
from typing import Callable, TypeVar

from blinker import Namespace
from flask import abort, current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import select, update

from ..core.transaction import on_commit
from ..extensions import db
from ..models import ApiToken, User
from ..core.time import utcnow
from ..auth import guard
from ..auth.models import hash_token

F = TypeVar("F", bound=Callable)

LAST_USED_RESOLUTION = timedelta(minutes=1)

#: Sent when a request's token has been accepted, before the view reads the body.
token_authenticated = Namespace().signal("api-token-authenticated")


def _bearer_token() -> str | None:
    """The token from the Authorization header; None when no header was sent."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        g.api_token_error = "invalid_request"
        abort(401, description=_(
            "Header Authorization harus berbentuk 'Bearer <token>'."))
    return token


def _user_for(token: str) -> User:
    guard.check(guard.TOKEN_LIMITS)
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None:
        guard.failed(guard.TOKEN_LIMITS)
        g.api_token_error = "invalid_token"
        abort(401, description=_(
            "Token API tidak dikenal atau sudah dicabut. Buat token baru dengan "
            "'flask --app archive create-token NAMA_PENGGUNA'."))
    user = row.user
    if not user.active:
        abort(403, description=_("Akun pemilik token ini dinonaktifkan."))
    _touch_and_end_transaction(row)
    return user


def _touch_and_end_transaction(row: ApiToken) -> None:
    """End the look-up's transaction now; record that the token was used when
    the request commits (``core.transaction``), never before the view runs.

    Ending it matters on SQLite: a POST's transaction starts with BEGIN
    IMMEDIATE, and left open it would hold the write lock for every other
    writer while the upload's body is still arriving.
    """
    now = utcnow()
    token_id, last_used = row.id, row.last_used_at
    db.session.rollback()
    token_authenticated.send(current_app._get_current_object(), token_id=token_id)
    # last_used_at is for "is this token still in use?", not an audit log,
    # so a busy script does not turn every read into a database write.
    if last_used is not None and now - last_used < LAST_USED_RESOLUTION:
        return

    def touch() -> None:
        db.session.execute(update(ApiToken).where(ApiToken.id == token_id)
                           .values(last_used_at=now))

    on_commit(touch)


def token_required(view: F) -> F:
    """The request must carry a valid token of an active user (401/403 otherwise)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        token = _bearer_token()
        if token is None:
            abort(401, description=_(
                "Token API diperlukan: kirim header 'Authorization: Bearer <token>'."))
        g.api_user = _user_for(token)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def optional_token(view: F) -> F:
    """Anonymous reads allowed; a token, when sent, must be valid and lets its owner see drafts."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        token = _bearer_token()
        g.api_user = _user_for(token) if token is not None else None
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
