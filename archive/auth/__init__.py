"""Logins: sessions for the site (Flask-Login), bearer tokens for the API, role checks."""
from __future__ import annotations

from flask import Flask

from .permissions import admin_required, camat_required, current_camat

__all__ = ["admin_required", "camat_required", "current_camat", "init_app"]


def init_app(app: Flask) -> None:
    from ..extensions import login_manager
    from . import sessions

    @login_manager.user_loader
    def _load_user(session_token: str):
        return sessions.load(session_token)

    from .views import bp

    app.register_blueprint(bp)
