"""Logins: users with a role, their sessions (one per browser login) and their API tokens."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..core.time import utcnow

if TYPE_CHECKING:
    from ..districts.models import Camat

ROLES = ("admin", "camat")


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    #: "admin" (the city's government section) or "camat"
    role: Mapped[str] = mapped_column(String(16), default="camat")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    camat: Mapped[Optional["Camat"]] = relationship(back_populates="user")
    tokens: Mapped[list["ApiToken"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    sessions: Mapped[list["UserSession"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    #: the token of the login this object was loaded for (``auth.sessions``); not a column
    session_token = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember-me cookies: the token of
        this login's UserSession, so that ending that row ends the cookies too."""
        if not self.session_token:
            raise RuntimeError("a user is logged in through auth.sessions.start()")
        return self.session_token

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def set_password(self, password: str) -> None:
        # Tests set a cheap method; production uses werkzeug's default (scrypt).
        method = current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None
        self.password_hash = (
            generate_password_hash(password, method=method) if method
            else generate_password_hash(password)
        )

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: sha256 of the token; the token itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[Optional[datetime]]

    user: Mapped[User] = relationship(back_populates="tokens")

    @classmethod
    def issue(cls, user: User) -> tuple["ApiToken", str]:
        token = secrets.token_urlsafe(32)
        return cls(user=user, token_hash=hash_token(token)), token


class UserSession(db.Model):
    """One login in one browser. The session cookie and the remember-me cookie carry
    its token (only the token's sha256 is stored); deleting the row ends both."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    #: where the login came from, for the user's own list of sessions and the audit log
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(back_populates="sessions")
