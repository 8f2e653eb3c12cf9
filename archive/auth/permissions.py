"""Who may do what: decorators for views and a helper for the current camat."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def current_camat():
    """The Camat row of the logged-in user, or None."""
    if not current_user.is_authenticated:
        return None
    return current_user.camat


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def camat_required(view):
    """Only a logged-in camat (a user linked to a Camat row) may upload."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.camat is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
