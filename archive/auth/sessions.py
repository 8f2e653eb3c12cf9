"""Server-side sessions: a login is a UserSession row, and ending the row ends it.

Flask-Login keeps ``User.get_id()`` in the session cookie and, with "remember
me", in a long-lived cookie; here that id is a random token whose sha256 is a
UserSession row. Logging out deletes that row; a password change, a
deactivation or an admin's "log out everywhere" deletes all of the user's
rows. A cookie saved before any of these finds no row and is a visitor again,
remember-me included. Rows expire (``SESSION_HOURS`` without remember-me,
``REMEMBER_DAYS`` with it) and a user's expired rows are swept at each login.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from ..core.time import utcnow
from ..extensions import db
from .models import User, UserSession, hash_token


def start(user: User, *, remember: bool) -> None:
    """A new session row for ``user``; ``login_user`` then stores its token."""
    now = utcnow()
    db.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id, UserSession.expires_at <= now))
    lifetime = (timedelta(days=current_app.config["REMEMBER_DAYS"]) if remember
                else timedelta(hours=current_app.config["SESSION_HOURS"]))
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(
        user_id=user.id, token_hash=hash_token(token), expires_at=now + lifetime,
        address=(request.remote_addr or "")[:64],
        user_agent=(request.user_agent.string or "")[:200]))
    user.session_token = token


def load(token: str) -> User | None:
    """The active user of a live session, or None (Flask-Login's user loader)."""
    # One query per request for the session and its user, as the plain user look-up was.
    row = db.session.scalar(select(UserSession).options(joinedload(UserSession.user))
                            .where(UserSession.token_hash == hash_token(token)))
    if row is None or row.expires_at <= utcnow() or not row.user.active:
        return None
    row.user.session_token = token
    return row.user


def end(user: User) -> None:
    """End the session this request belongs to (logging out)."""
    if user.session_token:
        db.session.execute(delete(UserSession).where(
            UserSession.token_hash == hash_token(user.session_token)))


def end_all(user: User) -> int:
    """End every session of ``user`` (password changed, deactivated, "log out everywhere")."""
    result = db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    return result.rowcount or 0
