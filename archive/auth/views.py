"""Login and logout pages."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..audit.recorder import record_login
from ..core import transaction
from ..core.redirects import safe_path
from ..extensions import db
from ..models import User
from . import guard, sessions
from .forms import LoginForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    return safe_path(target, url_for("main.home"))


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        try:
            guard.check(guard.LOGIN_LIMITS, username)
        except guard.TooManyAttempts as refused:
            flash(refused.message, "error")
            return render_template("auth/login.html", form=form), 429, {
                "Retry-After": str(refused.retry_after)}
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None or not user.active or not user.check_password(form.password.data):
            guard.failed(guard.LOGIN_LIMITS, username)
            transaction.keep(record_login("login_failed", username, user.id if user else None))
            flash(_("Nama pengguna atau kata sandi salah."), "error")
            return render_template("auth/login.html", form=form), 401
        sessions.start(user, remember=form.remember.data)
        login_user(user, remember=form.remember.data)
        db.session.add(record_login("login", user.username, user.id))
        flash(_("Selamat datang, %(name)s.", name=user.camat.name if user.camat else user.username), "success")
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.route("/keluar", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        sessions.end(current_user)
        db.session.add(record_login("logout", current_user.username, current_user.id))
    logout_user()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("main.home"))
