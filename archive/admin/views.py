"""Admin pages for the city's government section: the dashboard, users and their
API tokens; the reference tables' pages come from ``tables`` (made by ``crud``).

Every route is ``admin_required`` (403 for a camat, the login page for a
visitor). The transaction boundary commits once, after the operations have checked and
flushed; a ``Refused`` rolls everything back and shows its message on the form.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..auth import admin_required
from ..core.pages import submit_action, submit_form
from ..core.refusal import Refused
from ..core.time import utcnow
from ..core.transaction import discard
from ..extensions import db
from ..auth.models import UserSession
from ..models import ApiToken, Camat, Trip, User
from .operations import users as operations
from .choices import kecamatan_choices
from .forms import ActionForm, PasswordResetForm, RoleForm, UserCreateForm
from .tables import TABLES

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@admin_required
def _only_admins() -> None:
    """Every admin page, present and future, is for admins only."""


# kecamatan, camat, trips, topics, score records: list, add, edit (and delete), see crud
for _table in TABLES:
    _table.register(bp)


def _action(do: Callable[[], str], done: str) -> ResponseReturnValue:
    """A button (deactivate, revoke): CSRF checked, done, or refused with a message."""
    return submit_action(ActionForm(), do, done)


# Dashboard ---------------------------------------------------------------

@bp.route("/")
def index() -> ResponseReturnValue:
    """The dashboard: what the archive holds and what still needs attention."""
    return render_template(
        "admin/index.html",
        counts=operations.dashboard_counts(),
        untopiced=operations.entries_without_topic(),
        trips=db.session.scalars(select(Trip).order_by(Trip.year.desc(), Trip.title)).all(),
    )


# Users -------------------------------------------------------------------

@bp.route("/pengguna")
def users() -> ResponseReturnValue:
    rows = db.session.scalars(
        select(User).options(selectinload(User.camat).selectinload(Camat.kecamatan),
                             selectinload(User.tokens))
        .order_by(User.role, User.username)
    ).all()
    return render_template("admin/users.html", users=rows, action_form=ActionForm())


@bp.route("/pengguna/baru", methods=["GET", "POST"])
def user_new() -> ResponseReturnValue:
    form = UserCreateForm()
    form.kecamatan_id.choices = kecamatan_choices()

    def save() -> str:
        created = operations.create_user(operations.NewUser(
            username=form.username.data, password=form.password.data, role=form.role.data,
            kecamatan_id=form.kecamatan_id.data, camat_name=form.camat_name.data or ""))
        if created.camat is not None and created.camat_created:
            return _("Pengguna %(username)s dibuat, bersama data camat baru %(camat)s (%(kecamatan)s).",
                     username=created.user.username, camat=created.camat.name,
                     kecamatan=created.camat.kecamatan.name)
        if created.camat is not None:
            return _("Pengguna %(username)s dibuat dan dihubungkan ke %(camat)s (%(kecamatan)s).",
                     username=created.user.username, camat=created.camat.name,
                     kecamatan=created.camat.kecamatan.name)
        return _("Pengguna %(username)s dibuat.", username=created.user.username)

    def render(status: int) -> ResponseReturnValue:
        return render_template("admin/user_new.html", form=form), status

    return submit_form(form, save, render, url_for("admin.users"))


def _user_page(user: User, status: int = 200, **forms: FlaskForm) -> ResponseReturnValue:
    forms.setdefault("role_form", RoleForm(formdata=None, role=user.role))
    forms.setdefault("password_form", PasswordResetForm(formdata=None))
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ).all()
    live_sessions = db.session.scalar(select(func.count(UserSession.id)).where(
        UserSession.user_id == user.id, UserSession.expires_at > utcnow()))
    return render_template("admin/user_detail.html", user=user, tokens=tokens,
                           live_sessions=live_sessions,
                           action_form=ActionForm(formdata=None), **forms), status


@bp.route("/pengguna/<int:user_id>")
def user_detail(user_id: int) -> ResponseReturnValue:
    return _user_page(db.get_or_404(User, user_id))


def _user_form_post(user_id: int, form_name: str, form: FlaskForm,
                    apply: Callable[[User], str]) -> ResponseReturnValue:
    """A form on the user page: on error the page again, with the message on that form."""
    user = db.get_or_404(User, user_id)
    return submit_form(form, lambda: apply(user),
                       lambda status: _user_page(user, status, **{form_name: form}),
                       url_for("admin.user_detail", user_id=user.id))


@bp.route("/pengguna/<int:user_id>/peran", methods=["POST"])
def user_role(user_id: int) -> ResponseReturnValue:
    form = RoleForm()

    def apply(user: User) -> str:
        operations.change_role(user, form.role.data, current_user)
        if user.role == "camat" and user.camat is None:
            flash(_("Akun ini belum terhubung ke camat. Hubungkan di halaman camat agar bisa "
                    "mengunggah."), "warning")
        return _("Peran %(username)s sekarang %(role)s.", username=user.username, role=user.role)

    return _user_form_post(user_id, "role_form", form, apply)


@bp.route("/pengguna/<int:user_id>/kata-sandi", methods=["POST"])
def user_password(user_id: int) -> ResponseReturnValue:
    form = PasswordResetForm()

    def apply(user: User) -> str:
        operations.reset_password(user, form.password.data)
        return _("Kata sandi %(username)s sudah diganti.", username=user.username)

    return _user_form_post(user_id, "password_form", form, apply)


@bp.route("/pengguna/<int:user_id>/status", methods=["POST"])
def user_active(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    if request.form.get("active") not in ("0", "1"):
        abort(400, description=_("Status akun tidak dikenal."))
    active = request.form["active"] == "1"

    def do() -> str:
        operations.set_active(user, active, current_user)
        if active:
            return _("Akun %(username)s aktif kembali.", username=user.username)
        return _("Akun %(username)s dinonaktifkan; ia tidak dapat masuk lagi.", username=user.username)

    return _action(do, url_for("admin.user_detail", user_id=user.id))


@bp.route("/pengguna/<int:user_id>/keluar-semua", methods=["POST"])
def user_sessions_end(user_id: int) -> ResponseReturnValue:
    """Log the user out everywhere: every session, remember-me included."""
    user = db.get_or_404(User, user_id)

    def do() -> str:
        count = operations.end_sessions(user)
        return ngettext("%(num)d sesi %(username)s diakhiri; ia harus masuk lagi.",
                        "%(num)d sesi %(username)s diakhiri; ia harus masuk lagi.",
                        count, username=user.username)

    return _action(do, url_for("admin.user_detail", user_id=user.id))


@bp.route("/pengguna/<int:user_id>/token", methods=["POST"])
def token_issue(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        token = operations.issue_token(user)
    except Refused as err:
        discard()
        flash(err.message, "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    # Shown in this response only: never put in the session (a flash is a
    # cookie) nor in a URL, and not kept by the browser's cache.
    response = render_template("admin/token_issue.html", user=user, token=token)
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/pengguna/<int:user_id>/token/<int:token_id>/cabut", methods=["POST"])
def token_revoke(user_id: int, token_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)

    def do() -> str:
        operations.revoke_token(user, token_id)
        return _("Token dicabut; skrip yang memakainya tidak dapat masuk lagi.")

    return _action(do, url_for("admin.user_detail", user_id=user.id))
